import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The recorded real-Odoo 17 bodies, copied into test/fixtures/odoo17 (tests never read /work/shared). */
export const FIXTURE_DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'odoo17');

export interface RecordedPair {
  readonly name: string;
  readonly request: { id: number; params: Record<string, unknown> } & Record<string, unknown>;
  readonly response: Record<string, unknown>;
}

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as unknown;
}

/** Every *.req.json with its *.resp.json, in the order they were recorded (JSON-RPC id). */
export function recordedPairs(): RecordedPair[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.req.json'))
    .map((file) => {
      const name = file.slice(0, -'.req.json'.length);
      return {
        name,
        request: readFixture(file) as RecordedPair['request'],
        response: readFixture(`${name}.resp.json`) as Record<string, unknown>,
      };
    })
    .sort((a, b) => a.request.id - b.request.id);
}

/** Every recorded response body (for running the connector's parsers over them). */
export function recordedResponses(): { name: string; body: string }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.resp.json'))
    .map((file) => ({ name: file, body: readFileSync(join(FIXTURE_DIR, file), 'utf8') }));
}
