import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import type { TargetOutcome, TargetWrite } from '../../../main/connectors/types.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor } from './support/connector-setup.js';

/**
 * The write path as the least-privilege integration user (the emulator's `demo` user has the
 * integration groups: no Administration rights, so no ir.model.data), against the emulator:
 * created vs updated, the direct path for known records, posted invoices as conflicts, and rows
 * that met a concurrent update retried. test/real-odoo/connector-writes.test.ts proves the same
 * against a real Odoo 17.
 */

const USER_KEY = 'integration-key-not-a-secret';

let emulator: OdooEmulator;
let odoo: OdooConnector;
const warnings: string[] = [];

beforeEach(async () => {
  emulator = await startOdooEmulator({ apiKeys: [{ key: USER_KEY, login: 'demo' }] });
  warnings.length = 0;
  odoo = connectorFor(
    emulator.url,
    USER_KEY,
    { login: 'demo' },
    { logger: { warn: (details, message) => warnings.push(`${message} ${JSON.stringify(details)}`) } },
  );
});
afterEach(async () => {
  await odoo.close();
  await emulator.close();
});

const patients = (count: number, phone: string): TargetWrite[] =>
  Array.from({ length: count }, (_, index) => ({
    key: `patient_${index}`,
    payload: { name: `Patient ${index}`, phone },
  }));

const ids = (outcomes: readonly TargetOutcome[]): Map<string, string> =>
  new Map(outcomes.flatMap((outcome) => (outcome.ok ? [[outcome.key, outcome.targetId] as const] : [])));

const ormCalls = () => emulator.state.calls.filter((call) => call.model !== null).map((call) => call.method);

describe('upsert as the integration user', () => {
  it('tells created from updated without reading ir.model.data', async () => {
    const first = await odoo.upsert('res.partner', patients(3, '+32 1'));
    expect(first.every((outcome) => outcome.ok && outcome.created)).toBe(true);
    const second = await odoo.upsert('res.partner', [
      ...patients(3, '+32 2'),
      { key: 'patient_new', payload: { name: 'New' } },
    ]);
    expect(second.map((outcome) => outcome.ok && outcome.created)).toEqual([false, false, false, true]);
    expect(emulator.state.calls.some((call) => call.model === 'ir.model.data')).toBe(false);
    await expect(odoo.lookupExternalIds(['patient_0'])).rejects.toMatchObject({ code: 'odoo.AccessError' });
  });

  it('updates known records with one grouped write, and does not write what Odoo already holds', async () => {
    const first = await odoo.upsert('res.partner', patients(10, '+32 1'));
    emulator.state.calls.length = 0;
    const moved = await odoo.upsert('res.partner', patients(10, '+32 9'), { knownTargetIds: ids(first) });
    expect(moved.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(ormCalls()).toEqual(['fields_get', 'search_read', 'write']);
    const targetIds = [...ids(first).values()].map(Number);
    expect(emulator.state.db.read('res.partner', targetIds, ['phone']).map((row) => row.phone)).toEqual(
      Array(10).fill('+32 9'),
    );

    const stamps = emulator.state.db.read('res.partner', targetIds, ['write_date']);
    emulator.state.calls.length = 0;
    const again = await odoo.upsert('res.partner', patients(10, '+32 9'), { knownTargetIds: ids(first) });
    expect(again.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(ormCalls()).toEqual(['search_read']);
    expect(emulator.state.db.read('res.partner', targetIds, ['write_date'])).toEqual(stamps);
  });
});

describe('posted invoices', () => {
  const invoice = (price: number): TargetWrite => ({
    key: 'inv_enc_1',
    payload: {
      move_type: 'out_invoice',
      'partner_id/id': 'osc_sync.patient_0',
      invoice_date: '2026-11-20',
      invoice_line_ids: [{ name: 'Consultation', quantity: 1, price_unit: price }],
    },
  });

  it('turns a change to a posted invoice into a conflict and leaves it as it is', async () => {
    await odoo.upsert('res.partner', patients(1, '+32 1'));
    const [created] = await odoo.write({ operation: { model: 'account.move' }, records: [invoice(22)] });
    const moveId = Number(created?.ok === true ? created.targetId : 0);
    const admin = connectorFor(emulator.url, 'admin', { login: 'admin', authMethod: 'password' });
    await admin.callMethod('account.move', 'action_post', [moveId]);
    await admin.close();
    const before = emulator.state.db.read('account.move', [moveId], ['state', 'amount_total', 'write_date']);

    const [outcome] = await odoo.write({
      operation: { model: 'account.move' },
      records: [invoice(23)],
      knownTargetIds: new Map([['inv_enc_1', String(moveId)]]),
    });
    expect(outcome).toMatchObject({ ok: false, error: { class: 'conflict', code: 'odoo.posted' } });
    expect(outcome?.ok === false && outcome.error.message).toContain('credit note');
    expect(emulator.state.db.read('account.move', [moveId], ['state', 'amount_total', 'write_date'])).toEqual(
      before,
    );
    expect(emulator.state.calls.filter((call) => call.method === 'load')).toHaveLength(2);
  });
});

describe('rows that met a concurrent update', () => {
  it('sends the batch again after a pause and lands every record once', async () => {
    await odoo.upsert('res.partner', patients(30, '+32 1'));
    const partners = emulator.state.db.count('res.partner');
    emulator.state.calls.length = 0;
    emulator.faults.serializationConflictNext(1);
    const outcomes = await odoo.upsert('res.partner', patients(30, '+32 2'));
    expect(outcomes.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(emulator.state.calls.filter((call) => call.method === 'load')).toHaveLength(2);
    expect(emulator.state.db.count('res.partner')).toBe(partners);
    expect(warnings.some((line) => line.includes('concurrent update'))).toBe(true);
  });
});
