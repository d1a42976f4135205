import { afterEach, describe, expect, it } from 'vitest';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor, TEST_API_KEY } from './support/connector-setup.js';

/** The per-connection limit on concurrent calls, seen from the server side. */

let emulator: OdooEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
});

describe('per-connection throttle', () => {
  it.each([1, 2, 3])('never has more than %i calls in flight at Odoo', async (limit) => {
    emulator = await startOdooEmulator({
      apiKeys: [{ key: TEST_API_KEY }],
      latency: { perCallMs: 40, perRecordMs: 0 },
    });
    const odoo = connectorFor(emulator.url, TEST_API_KEY, {
      maxConcurrentCalls: limit,
      maxCallsPerSecond: 100,
    });
    await odoo.describe();
    const results = await Promise.all(Array.from({ length: 10 }, () => odoo.fieldsGet('res.partner')));
    expect(results).toHaveLength(10);
    expect(emulator.state.traffic.peakInFlight).toBeLessThanOrEqual(limit);
    expect(odoo.peakConcurrency).toBe(limit);
    await odoo.close();
  });
});
