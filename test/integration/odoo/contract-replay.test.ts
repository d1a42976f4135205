import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { recordedPairs } from './support/fixtures.js';
import { RECORDED_API_KEY, RECORDED_SEED } from './support/recorded-seed.js';
import { shapeDifferences } from './support/shape.js';

/**
 * Contract: every recorded real-Odoo-17 request, replayed in recording order against one emulator,
 * must get an answer of the recorded shape, with the recorded values wherever they do not depend on
 * ids the real database handed out earlier or on the clock.
 */

// Ids the real server had reached through earlier activity, and timestamps.
const VOLATILE: readonly RegExp[] = [
  /\.write_date$/,
  /\.create_date$/,
  /^\$\.result\.ids\[\d+\]$/, // load: partner ids 12951.. on the real server
  /^\$\.result\[\d+\]\.(id|res_id)$/, // ir.model.data rows naming those partners
  /^\$\.result\[\d+\]\.(id|name)$/, // incremental read returns whatever changed first
];

/**
 * Wording that changed within 17.0 after these bodies were recorded: the emulator answers as the
 * 17.0 final of the real-Odoo stage does (test/real-odoo/emulator-contract.test.ts checks it there).
 */
const LATER_17_WORDING: Readonly<Record<string, string>> = {
  err_unknown_method: "The method 'frobnicate' does not exist on the model 'res.partner'",
  imd_xmlid_to_res_id_private: 'Private methods (such as _xmlid_to_res_id) cannot be called remotely.',
};
const WORDING_PATHS = /^\$\.error\.data\.(message|arguments\[0\]|debug)$/;

let emulator: OdooEmulator;

beforeAll(async () => {
  emulator = await startOdooEmulator({
    version: '17.0',
    database: 'odoo17',
    apiKeys: [{ key: RECORDED_API_KEY, name: 'integration test key' }],
    seed: RECORDED_SEED,
  });
});
afterAll(async () => {
  await emulator.close();
});

async function replay(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, json: await response.json() };
}

describe('recorded Odoo 17 bodies replayed against the emulator', () => {
  const pairs = recordedPairs();

  it('has the whole recording to replay', () => {
    expect(pairs.length).toBe(49);
  });

  // One sequential test: the recording is a story (create 43, then write it, then read it back …).
  it('answers every request in the recorded shape and values', async () => {
    const failures: string[] = [];
    for (const pair of pairs) {
      const path = pair.name.includes('web_session') ? '/web/session/authenticate' : '/jsonrpc';
      const { status, json } = await replay(path, pair.request);
      expect(status, pair.name).toBe(200);
      const incremental = pair.name === 'partner_search_read_incremental';
      const laterWording = LATER_17_WORDING[pair.name];
      const differences = shapeDifferences(
        json,
        pair.response,
        (where) =>
          VOLATILE.some((pattern, index) => (index === 4 ? incremental : true) && pattern.test(where)) ||
          (laterWording !== undefined && WORDING_PATHS.test(where)),
      );
      failures.push(...differences.map((difference) => `${pair.name} ${difference}`));
      if (laterWording !== undefined)
        expect((json as { error?: { data?: { message?: string } } }).error?.data?.message).toBe(laterWording);
    }
    expect(failures).toEqual([]);
  });

  it('answers /json/2 with the recorded 404 on Odoo 17', async () => {
    const response = await fetch(`${emulator.url}/json/2/res.partner/search_read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `bearer ${RECORDED_API_KEY}` },
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});
