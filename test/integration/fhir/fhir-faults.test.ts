import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { collect, fhirSource } from './fhir-test-kit.js';

/** Every fault mode of the emulator, and what the FHIR source makes of it. */
describe('FHIR source under faults', () => {
  let emulator: FhirEmulator;
  beforeEach(async () => {
    emulator = await startFhirEmulator({ seed: 'empty', bulkChargeItems: 500 });
  });
  afterEach(async () => {
    await emulator.close();
  });
  const open = (retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number }, timeoutMs = 5000) =>
    fhirSource(emulator.url, {
      settings: { authMethod: 'none', timeoutMs },
      ...(retry === undefined ? {} : { retry }),
    });

  it('latency: slower but complete; beyond the timeout it is a transient timeout', async () => {
    emulator.faults.latencyMs = 40;
    const started = performance.now();
    const { records } = await collect(open(), { resourceType: 'ChargeItem' }, null, 250);
    expect(records).toHaveLength(500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 40 - 5);

    emulator.faults.latencyMs = 1500;
    await expect(
      collect(
        open({ attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, 1000),
        { resourceType: 'ChargeItem' },
        null,
        250,
      ),
    ).rejects.toMatchObject({
      class: 'transient',
      code: 'http.timeout',
    });
  });

  it('5xx: a short burst is retried and the run completes; a longer one fails as transient', async () => {
    emulator.faults.failNext(2, 503);
    const { records } = await collect(open(), { resourceType: 'ChargeItem' }, null, 100);
    expect(records).toHaveLength(500);
    expect(emulator.state.requests.filter((request) => request.status === 503)).toHaveLength(2);

    emulator.faults.failNext(3, 502);
    await expect(collect(open(), { resourceType: 'ChargeItem' }, null, 100)).rejects.toMatchObject({
      class: 'transient',
      code: 'fhir.502.transient',
      message: expect.stringContaining('Injected fault') as unknown,
    });
  });

  it('a 4xx is not retried', async () => {
    emulator.faults.failNext(1, 403);
    await expect(collect(open(), { resourceType: 'ChargeItem' }, null, 100)).rejects.toMatchObject({
      class: 'authentication',
    });
    expect(emulator.state.requests).toHaveLength(1);
  });

  it('broken pages: a truncated or non-Bundle follow-up page is fetched again', async () => {
    emulator.faults.breakNextPages(1, 'truncated-json');
    emulator.faults.breakNextPages(1, 'not-a-bundle');
    const { records, pages } = await collect(open(), { resourceType: 'ChargeItem' }, null, 100);
    expect(records).toHaveLength(500);
    expect(new Set(records.map((record) => record.sourceId)).size).toBe(500);
    expect(pages).toHaveLength(5);
  });

  it('broken pages that keep breaking fail the run, and the cursor of the last good page is intact', async () => {
    emulator.faults.breakNextPages(10, 'truncated-json');
    const seen: (string | null)[] = [];
    const source = open();
    await expect(
      (async () => {
        for await (const page of source.extract({
          selector: { resourceType: 'ChargeItem' },
          cursor: null,
          pageSize: 100,
        }))
          seen.push(page.cursor);
      })(),
    ).rejects.toMatchObject({ class: 'transient', code: 'fhir.bad-json' });
    expect(seen).toHaveLength(1);
    // Resuming from that cursor reads the rest exactly once.
    emulator.faults.reset();
    const rest = await collect(open(), { resourceType: 'ChargeItem' }, seen[0]!, 100);
    expect(rest.records).toHaveLength(400);
  });

  it('an outage window answers 503 with Retry-After; a run that waits it out completes', async () => {
    emulator.faults.outageFor(700);
    const started = performance.now();
    const patient = open({ attempts: 4, baseDelayMs: 50, maxDelayMs: 1000 });
    const { records } = await collect(patient, { resourceType: 'ChargeItem' }, null, 250);
    expect(records).toHaveLength(500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(600);
    const refused = emulator.state.requests.filter((request) => request.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
  });

  it('an outage longer than the retries fails as transient', async () => {
    emulator.faults.outageFor(10_000);
    await expect(
      collect(
        open({ attempts: 2, baseDelayMs: 10, maxDelayMs: 20 }),
        { resourceType: 'ChargeItem' },
        null,
        250,
      ),
    ).rejects.toMatchObject({
      class: 'transient',
      code: 'fhir.503.transient',
    });
  });

  it('a seeded random error rate is absorbed by the retries', async () => {
    emulator.faults.errorRate = 0.3;
    const { records } = await collect(
      open({ attempts: 8, baseDelayMs: 1, maxDelayMs: 5 }),
      { resourceType: 'ChargeItem' },
      null,
      50,
    );
    expect(records).toHaveLength(500);
    expect(emulator.state.requests.some((request) => request.status === 503)).toBe(true);
  });

  it('a dead server is reported as unreachable', async () => {
    const url = emulator.url;
    await emulator.close();
    emulator = await startFhirEmulator({ seed: 'empty' }); // for afterEach
    const dead = fhirSource(url, {
      settings: { authMethod: 'none' },
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(collect(dead, { resourceType: 'ChargeItem' }, null, 10)).rejects.toMatchObject({
      class: 'transient',
      code: 'http.unreachable',
    });
  });
});
