import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOdooConnector, type OdooConnector } from '../../main/connectors/odoo/index.js';
import type { TargetOutcome, TargetWrite } from '../../main/connectors/types.js';
import { odooSettingsSchema } from '../../shared/domain/connection.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';

// The connector's write path against a real Odoo 17, as the least-privilege integration user (no
// Administration rights, so no ir.model.data): created vs updated, idempotent reruns, posted
// invoices refused as conflicts, overlapping loads retried. Odoo is read back through adminRpc, a
// plain JSON-RPC client that is not the connector.

let odoo: RealOdoo;
const connectors: OdooConnector[] = [];

beforeAll(async () => {
  odoo = await startRealOdoo();
});
afterAll(async () => {
  await Promise.all(connectors.map((connector) => connector.close()));
  await odoo.stop();
});

function integrationConnector(warnings: string[] = []): OdooConnector {
  const connector = createOdooConnector({
    connectionId: 'conn_realwrites01',
    settings: odooSettingsSchema.parse({
      kind: 'odoo',
      baseUrl: odoo.url,
      database: odoo.database,
      login: odoo.integration.login,
      maxConcurrentCalls: 2,
      maxCallsPerSecond: 100,
      timeoutMs: 120_000,
    }),
    secrets: { read: () => Promise.resolve(odoo.integration.key) },
    logger: { warn: (details, message) => warnings.push(`${message} ${JSON.stringify(details)}`) },
  });
  connectors.push(connector);
  return connector;
}

const okIds = (outcomes: readonly TargetOutcome[]): string[] =>
  outcomes.map((outcome) => (outcome.ok ? outcome.targetId : `failed: ${outcome.error.message}`));

const known = (outcomes: readonly TargetOutcome[]): Map<string, string> =>
  new Map(outcomes.flatMap((outcome) => (outcome.ok ? [[outcome.key, outcome.targetId] as const] : [])));

async function partnerRows(ids: readonly string[]): Promise<Record<string, unknown>[]> {
  return odoo.adminRpc.searchRead(
    'res.partner',
    [['id', 'in', ids.map(Number)]],
    ['name', 'email', 'phone', 'function', 'write_date'],
    { order: 'id' },
  );
}

const patients = (prefix: string, count: number, version: string): TargetWrite[] =>
  Array.from({ length: count }, (_, index) => ({
    key: `${prefix}_${index}`,
    payload: {
      name: `Patient ${prefix} ${index}`,
      email: `${prefix}${index}@clinic.example`,
      phone: `+32 2 ${version} ${index}`,
    },
  }));

describe('upserts as the least-privilege integration user', () => {
  it('creates and updates res.partner, telling created from updated without ir.model.data', async () => {
    const connector = integrationConnector();
    const first = await connector.upsert('res.partner', patients('rp', 3, 'v1'));
    expect(first.map((outcome) => outcome.ok && outcome.created)).toEqual([true, true, true]);

    // Same second, no ids known: still "updated" (create_date == write_date could not tell this).
    const changed = patients('rp', 3, 'v2');
    const second = await connector.upsert('res.partner', [
      ...changed,
      { key: 'rp_new', payload: { name: 'Patient rp new' } },
    ]);
    expect(second.map((outcome) => outcome.ok && outcome.created)).toEqual([false, false, false, true]);
    expect(okIds(second).slice(0, 3)).toEqual(okIds(first));

    for (const [index, outcome] of second.entries()) {
      const xmlid = await odoo.adminRpc.resolveXmlId(`osc_sync.${outcome.key}`);
      expect(xmlid).toEqual({ model: 'res.partner', id: Number(okIds(second)[index]) });
    }
    const rows = await partnerRows(okIds(second).slice(0, 3));
    expect(rows.map((row) => [row.name, row.email, row.phone])).toEqual(
      changed.map((write) => [write.payload.name, write.payload.email, write.payload.phone]),
    );
  });

  it('updates through the ids the engine knows, and re-creates a record deleted in Odoo', async () => {
    const connector = integrationConnector();
    const first = await connector.upsert('res.partner', patients('kn', 10, 'v1'));
    const ids = known(first);
    // Every record gets the same new job title: one write(ids, vals) instead of ten row writes.
    const retitled = patients('kn', 10, 'v1').map((write) => ({
      ...write,
      payload: { ...write.payload, function: 'Patient' },
    }));
    const second = await connector.upsert('res.partner', retitled, { knownTargetIds: ids });
    expect(second.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(okIds(second)).toEqual(okIds(first));
    expect((await partnerRows(okIds(first))).map((row) => row.function)).toEqual(Array(10).fill('Patient'));

    const [gone] = okIds(first);
    await odoo.adminRpc.call('res.partner', 'unlink', [[Number(gone)]]);
    const renamed = retitled.map((write) => ({ ...write, payload: { ...write.payload, phone: '+32 9' } }));
    const third = await connector.upsert('res.partner', renamed, { knownTargetIds: ids });
    expect(third[0]).toMatchObject({ ok: true, created: true });
    expect(okIds(third)[0]).not.toBe(gone);
    expect(third.slice(1).every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(await odoo.adminRpc.resolveXmlId('osc_sync.kn_0')).toEqual({
      model: 'res.partner',
      id: Number(okIds(third)[0]),
    });
    expect(await odoo.adminRpc.searchCount('res.partner', [['email', '=like', 'kn%@clinic.example']])).toBe(
      10,
    );
  });

  it('changes nothing on a rerun: no new records; with known ids not even write_date', async () => {
    const connector = integrationConnector();
    const batch = patients('rr', 5, 'v1');
    const first = await connector.upsert('res.partner', batch);
    const ids = okIds(first);
    const before = await partnerRows(ids);
    await sleep(1_100); // write_date has whole seconds: a write now would show

    // What the engine sends again for records it knows (it skips unchanged payloads itself, but a
    // resend after a crash between write and commit looks like this): nothing is written.
    const engineResend = await connector.upsert('res.partner', batch, { knownTargetIds: known(first) });
    expect(engineResend.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(await partnerRows(ids)).toEqual(before);

    // A resend without known ids goes through load: same records and values, write_date moves.
    const blindResend = await connector.upsert('res.partner', batch);
    expect(okIds(blindResend)).toEqual(ids);
    expect(blindResend.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    const after = await partnerRows(ids);
    expect(after.map(({ write_date: _, ...values }) => values)).toEqual(
      before.map(({ write_date: _, ...values }) => values),
    );
    expect(after.every((row, index) => String(row.write_date) > String(before[index]?.write_date))).toBe(
      true,
    );
    expect(await odoo.adminRpc.searchCount('res.partner', [['email', '=like', 'rr%@clinic.example']])).toBe(
      5,
    );
  });
});

describe('customer invoices', () => {
  const invoice = (key: string, partnerKey: string, price: number): TargetWrite => ({
    key,
    payload: {
      move_type: 'out_invoice',
      'partner_id/id': `osc_sync.${partnerKey}`,
      invoice_date: '2026-11-20',
      ref: `ENC-${key}`,
      invoice_line_ids: [
        { name: 'Consultation', quantity: 1, price_unit: price },
        { name: 'Sterile gauze', quantity: 4, price_unit: 0.5 },
      ],
    },
  });

  async function moveRow(id: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await odoo.adminRpc.searchRead(
      'account.move',
      [['id', '=', Number(id)]],
      ['state', 'amount_untaxed', 'amount_total', 'invoice_line_ids', 'partner_id', 'ref', 'write_date'],
    );
    return row;
  }

  it('creates a draft invoice with lines and updates it in place', async () => {
    const connector = integrationConnector();
    await connector.upsert('res.partner', [{ key: 'inv_patient_1', payload: { name: 'Jane Roe' } }]);
    const [created] = await connector.upsert('account.move', [invoice('inv_1', 'inv_patient_1', 20)]);
    expect(created).toMatchObject({ ok: true, created: true });
    const id = okIds([created!])[0]!;
    expect(await odoo.adminRpc.resolveXmlId('osc_sync.inv_1')).toEqual({
      model: 'account.move',
      id: Number(id),
    });
    expect(await odoo.adminRpc.resolveXmlId('osc_sync.inv_1_invoice_line_ids_2')).toMatchObject({
      model: 'account.move.line',
    });
    const draft = await moveRow(id);
    expect(draft).toMatchObject({ state: 'draft', amount_untaxed: 22, ref: 'ENC-inv_1' });
    expect((draft?.partner_id as [number, string])[1]).toBe('Jane Roe');
    expect(draft?.invoice_line_ids).toHaveLength(2);

    const [updated] = await connector.upsert('account.move', [invoice('inv_1', 'inv_patient_1', 21)], {
      knownTargetIds: new Map([['inv_1', id]]),
    });
    expect(updated).toMatchObject({ ok: true, created: false, targetId: id });
    const after = await moveRow(id);
    expect(after).toMatchObject({ state: 'draft', amount_untaxed: 23 });
    expect(after?.invoice_line_ids).toHaveLength(2);
  });

  it('refuses to change a posted invoice: a conflict outcome, and Odoo unchanged', async () => {
    const connector = integrationConnector();
    await connector.upsert('res.partner', [{ key: 'inv_patient_2', payload: { name: 'John Doe' } }]);
    // As the engine calls it: Target.write with the ids it recorded for the keys.
    const [created] = await connector.write({
      operation: { model: 'account.move', kind: 'upsert' },
      records: [invoice('inv_2', 'inv_patient_2', 20)],
    });
    const id = okIds([created!])[0]!;
    await odoo.adminRpc.call('account.move', 'action_post', [[Number(id)]]);
    const posted = await moveRow(id);
    expect(posted).toMatchObject({ state: 'posted', amount_untaxed: 22 });
    await sleep(1_100);

    const [outcome] = await connector.write({
      operation: { model: 'account.move', kind: 'upsert' },
      records: [invoice('inv_2', 'inv_patient_2', 21)],
      knownTargetIds: new Map([['inv_2', id]]),
    });
    expect(outcome).toMatchObject({ ok: false, error: { class: 'conflict', code: 'odoo.posted' } });
    const message = outcome?.ok === false ? outcome.error.message : '';
    expect(message).toMatch(/^Invoice INV\/2026\/\d+ is posted in Odoo/);
    expect(message).toContain('credit note');
    expect(message).toContain('reset it to draft in Odoo, then retry');
    expect(await moveRow(id)).toEqual(posted);
  });

  it('refuses to change a cancelled invoice and still writes the draft next to it', async () => {
    const connector = integrationConnector();
    await connector.upsert('res.partner', [{ key: 'inv_patient_3', payload: { name: 'Ann Lee' } }]);
    const first = await connector.upsert('account.move', [
      invoice('inv_3a', 'inv_patient_3', 20),
      invoice('inv_3b', 'inv_patient_3', 20),
    ]);
    const [cancelledId, draftId] = okIds(first);
    await odoo.adminRpc.call('account.move', 'button_cancel', [[Number(cancelledId)]]);
    const cancelled = await moveRow(cancelledId!);
    expect(cancelled).toMatchObject({ state: 'cancel' });

    const second = await connector.upsert(
      'account.move',
      [invoice('inv_3a', 'inv_patient_3', 30), invoice('inv_3b', 'inv_patient_3', 30)],
      { knownTargetIds: known(first) },
    );
    expect(second[0]).toMatchObject({ ok: false, error: { class: 'conflict', code: 'odoo.cancelled' } });
    expect(second[1]).toMatchObject({ ok: true, created: false, targetId: draftId });
    expect(await moveRow(cancelledId!)).toEqual(cancelled);
    expect(await moveRow(draftId!)).toMatchObject({ state: 'draft', amount_untaxed: 32 });
  });
});

describe('overlapping loads', () => {
  it('retries rows that met a concurrent update and lands every record exactly once', async () => {
    const count = 300;
    const setup = integrationConnector();
    const created = await setup.upsert('res.partner', patients('ov', count, 'v0'));
    expect(created.every((outcome) => outcome.ok)).toBe(true);

    // Two callers update the same 300 records at once (a timed-out request still running in Odoo
    // and its retry): the second one's load meets rows the first is writing.
    const warningsA: string[] = [];
    const warningsB: string[] = [];
    const callerA = integrationConnector(warningsA);
    const callerB = integrationConnector(warningsB);
    await Promise.all([callerA.describe(), callerB.describe()]); // logged in: the race is the loads
    const first = callerA.upsert('res.partner', patients('ov', count, 'v1'));
    await sleep(300);
    const second = callerB.upsert('res.partner', patients('ov', count, 'v2'));
    const [outcomesA, outcomesB] = await Promise.all([first, second]);

    expect(outcomesA.filter((outcome) => !outcome.ok)).toEqual([]);
    expect(outcomesB.filter((outcome) => !outcome.ok)).toEqual([]);
    // The later caller normally meets the earlier one's rows (on a starved machine it can be the
    // other way round): whichever retried landed last, so its values are the ones Odoo keeps.
    const retried = (lines: string[]) => lines.some((line) => line.includes('concurrent update'));
    expect(retried(warningsA) || retried(warningsB)).toBe(true);
    expect(okIds(outcomesB)).toEqual(okIds(created));
    expect(await odoo.adminRpc.searchCount('res.partner', [['email', '=like', 'ov%@clinic.example']])).toBe(
      count,
    );
    expect(
      await odoo.adminRpc.searchCount('ir.model.data', [
        ['module', '=', 'osc_sync'],
        ['name', '=like', 'ov\\_%'],
      ]),
    ).toBe(count);
    const phones = (await partnerRows(okIds(created))).map((row) => row.phone);
    const version = retried(warningsA) && !retried(warningsB) ? 'v1' : 'v2';
    expect(phones).toEqual(patients('ov', count, version).map((write) => write.payload.phone));
  });
});

describe("Odoo's mail features on a bulk load", () => {
  it('neither logs a creation note nor makes the integration user follow what it creates', async () => {
    const connector = integrationConnector();
    const created = await connector.upsert('res.partner', patients('ml', 3, 'v1'));
    const ids = okIds(created).map(Number);
    expect(ids.every((id) => id > 0)).toBe(true);
    const [user] = await odoo.adminRpc.searchRead(
      'res.users',
      [['login', '=', odoo.integration.login]],
      ['partner_id'],
    );
    const integrationPartner = (user?.partner_id as [number, string] | undefined)?.[0];
    const followers = await odoo.adminRpc.searchCount('mail.followers', [
      ['res_model', '=', 'res.partner'],
      ['res_id', 'in', ids],
      ['partner_id', '=', integrationPartner ?? 0],
    ]);
    expect(followers).toBe(0);
    const messages = (): Promise<number> =>
      odoo.adminRpc.searchCount('mail.message', [
        ['model', '=', 'res.partner'],
        ['res_id', 'in', ids],
      ]);
    expect(await messages()).toBe(0);
  });
});
