import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import type { TargetOutcome, TargetWrite } from '../../../main/connectors/types.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor, TEST_API_KEY } from './support/connector-setup.js';

/**
 * Created or updated for keys whose Odoo id the engine knows, against the emulator: a known record
 * that goes through `load` (too few to group, or a relational column) is an update, a useless known
 * id ("0", "2.5") is ignored, and a known key whose record is gone in Odoo is created again. The
 * lineage records `created` from these outcomes (mutation survivors, see test/mutation/SURVIVORS.md).
 */

let emulator: OdooEmulator;
let odoo: OdooConnector;

beforeEach(async () => {
  emulator = await startOdooEmulator({ apiKeys: [{ key: TEST_API_KEY }] });
  odoo = connectorFor(emulator.url, TEST_API_KEY);
});
afterEach(async () => {
  await odoo.close();
  await emulator.close();
});

const patients = (count: number, suffix: string): TargetWrite[] =>
  Array.from({ length: count }, (_, index) => ({
    key: `patient_${index}`,
    payload: { name: `Patient ${index} ${suffix}` },
  }));

const ids = (outcomes: readonly TargetOutcome[]): Map<string, string> =>
  new Map(outcomes.flatMap((outcome) => (outcome.ok ? [[outcome.key, outcome.targetId] as const] : [])));

describe('created or updated for known keys', () => {
  it('reports known records changed through load as updated, under the same ids', async () => {
    const first = await odoo.upsert('res.partner', patients(3, 'a'));
    expect(first.every((outcome) => outcome.ok && outcome.created)).toBe(true);
    const again = await odoo.upsert('res.partner', patients(3, 'b'), { knownTargetIds: ids(first) });
    expect(again).toEqual(first.map((outcome) => ({ ...outcome, created: false })));
  });

  it('ignores a known id of 0 or 2.5 and judges by the id sequence', async () => {
    const first = await odoo.upsert('res.partner', patients(2, 'a'));
    const useless = new Map([
      ['patient_0', '0'],
      ['patient_1', '2.5'],
    ]);
    const again = await odoo.upsert('res.partner', patients(2, 'b'), { knownTargetIds: useless });
    expect(again).toEqual(first.map((outcome) => ({ ...outcome, created: false })));
  });

  it('reports a known key whose record is gone in Odoo as created again', async () => {
    const outcomes = await odoo.upsert('res.partner', patients(1, 'a'), {
      knownTargetIds: new Map([['patient_0', '987654']]),
    });
    expect(outcomes).toMatchObject([{ key: 'patient_0', ok: true, created: true }]);
    expect(outcomes[0]?.ok === true && outcomes[0].targetId).not.toBe('987654');
  });
});
