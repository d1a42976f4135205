import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChargeItem } from 'fhir/r4';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { FhirHttp, type FhirReply } from '../../../main/connectors/fhir/fhir-http.js';
import { FhirTarget } from '../../../main/connectors/fhir/fhir-target.js';
import { testFhirConnection } from '../../../main/connectors/fhir/fhir-test-connection.js';
import { CONNECTION_ID, TOKEN, fhirSettings, secretsWith } from './fhir-test-kit.js';

const SYSTEM = 'http://lab.example/charges';
const charge = (value: string, price: number): ChargeItem => ({
  resourceType: 'ChargeItem',
  identifier: [{ system: SYSTEM, value }],
  status: 'billable',
  code: { text: 'Lab panel' },
  subject: { reference: 'Patient/pat-001' },
  priceOverride: { value: price, currency: 'EUR' },
});
const write = (key: string, payload: ChargeItem) => ({
  key,
  payload: payload as unknown as Record<string, unknown>,
});

describe('FHIR target: idempotent writes', () => {
  let emulator: FhirEmulator;
  let http: FhirHttp;
  beforeEach(async () => {
    emulator = await startFhirEmulator({ auth: { bearer: TOKEN }, seed: 'empty' });
    http = new FhirHttp({
      connectionId: CONNECTION_ID,
      settings: fhirSettings(emulator.url),
      secrets: secretsWith(TOKEN),
    });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('conditional create: the first write creates, a resend finds the same resource', async () => {
    const target = new FhirTarget(http);
    const [first] = await target.write({
      operation: { resourceType: 'ChargeItem', mode: 'create' },
      records: [write(`${SYSTEM}|A-1`, charge('A-1', 90))],
    });
    const [again] = await target.write({
      operation: { resourceType: 'ChargeItem', mode: 'create' },
      records: [write(`${SYSTEM}|A-1`, charge('A-1', 90))],
    });
    expect(first).toMatchObject({ ok: true, created: true });
    expect(again).toMatchObject({ ok: true, created: false });
    expect(first?.ok === true && again?.ok === true && first.targetId === again.targetId).toBe(true);
    expect(emulator.state.store.count('ChargeItem')).toBe(1);
    const posts = emulator.state.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.status)).toEqual([201, 200]);
  });

  it('upsert: unchanged content writes nothing, changed content updates with If-Match', async () => {
    const target = new FhirTarget(http);
    const op = { resourceType: 'ChargeItem', mode: 'upsert' };
    await target.write({ operation: op, records: [write(`${SYSTEM}|B-1`, charge('B-1', 40))] });
    await target.write({ operation: op, records: [write(`${SYSTEM}|B-1`, charge('B-1', 40))] });
    expect(emulator.state.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
    const [updated] = await target.write({
      operation: op,
      records: [write(`${SYSTEM}|B-1`, charge('B-1', 45))],
    });
    expect(updated).toMatchObject({ ok: true, created: false });
    const stored = emulator.state.store.sorted('ChargeItem')[0]!.build() as ChargeItem;
    expect(stored.priceOverride?.value).toBe(45);
    expect(stored.meta?.versionId).toBe('2');
  });

  it('a concurrent change between read and write is a transient version conflict, not an overwrite', async () => {
    const target = new FhirTarget(http);
    const op = { resourceType: 'ChargeItem', mode: 'upsert' };
    await target.write({ operation: op, records: [write(`${SYSTEM}|C-1`, charge('C-1', 10))] });
    // Someone else edits the resource right after our conditional create read it.
    const racing = new (class extends FhirHttp {
      override async send(...args: Parameters<FhirHttp['send']>): Promise<FhirReply> {
        const reply = await super.send(...args);
        if (args[0] === 'POST') {
          const slot = emulator.state.store.sorted('ChargeItem')[0]!;
          emulator.state.put({ ...(slot.build() as ChargeItem & { id: string }), status: 'billed' });
        }
        return reply;
      }
    })({ connectionId: CONNECTION_ID, settings: fhirSettings(emulator.url), secrets: secretsWith(TOKEN) });
    const [outcome] = await new FhirTarget(racing).write({
      operation: op,
      records: [write(`${SYSTEM}|C-1`, charge('C-1', 99))],
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: { class: 'transient', code: 'fhir.version-conflict' },
    });
    const stored = emulator.state.store.sorted('ChargeItem')[0]!.build() as ChargeItem;
    expect(stored.status).toBe('billed');
    expect(stored.priceOverride?.value).toBe(10);
  });

  it('one bad record does not block the others, and each failure says why', async () => {
    const target = new FhirTarget(http);
    const outcomes = await target.write({
      operation: { resourceType: 'ChargeItem' },
      records: [
        write(`${SYSTEM}|D-1`, charge('D-1', 1)),
        { key: `${SYSTEM}|D-2`, payload: { resourceType: 'Patient' } },
        write('no-system-separator', charge('D-3', 1)),
        write(`${SYSTEM}|D-4`, charge('D-4', 2)),
      ],
    });
    expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.error.code))).toEqual([
      'ok',
      'fhir.bad-payload',
      'fhir.bad-key',
      'ok',
    ]);
    const [unsupported] = await target.write({
      operation: { resourceType: 'Observation' },
      records: [{ key: `${SYSTEM}|E`, payload: { resourceType: 'Observation', status: 'final' } }],
    });
    expect(unsupported).toMatchObject({
      ok: false,
      error: { class: 'configuration', code: 'fhir.404.not-supported' },
    });
    const [noOp] = await target.write({
      operation: { mode: 'create' },
      records: [write(`${SYSTEM}|F`, charge('F', 1))],
    });
    expect(noOp).toMatchObject({ ok: false, error: { class: 'configuration' } });
  });

  it('a server refusal carries the OperationOutcome text', async () => {
    emulator.faults.failNext(1, 422);
    const [outcome] = await new FhirTarget(http).write({
      operation: { resourceType: 'ChargeItem' },
      records: [write(`${SYSTEM}|G-1`, charge('G-1', 1))],
    });
    expect(outcome).toMatchObject({ ok: false, error: { class: 'permanent', code: 'fhir.422.transient' } });
    expect(!outcome!.ok && outcome!.error.message).toContain('Injected fault: HTTP 422');
  });
});

describe('FHIR test connection', () => {
  let emulator: FhirEmulator;
  beforeEach(async () => {
    emulator = await startFhirEmulator({ auth: { bearer: TOKEN }, seed: 'empty' });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('passes every check with the right token', async () => {
    const result = await testFhirConnection(CONNECTION_ID, fhirSettings(emulator.url), secretsWith(TOKEN));
    expect(result.ok).toBe(true);
    expect(result.checks.map((check) => [check.id, check.status])).toEqual([
      ['url', 'passed'],
      ['secret', 'passed'],
      ['reachable', 'passed'],
      ['fhir-version', 'passed'],
      ['credentials', 'passed'],
    ]);
    expect(result.facts.fhirVersion).toBe('4.0.1');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('says exactly what is wrong', async () => {
    const wrong = await testFhirConnection(CONNECTION_ID, fhirSettings(emulator.url), secretsWith('nope'));
    expect(wrong.ok).toBe(false);
    expect(wrong.summary).toMatch(/refused the credential \(HTTP 401\)/);

    const missing = await testFhirConnection(CONNECTION_ID, fhirSettings(emulator.url), secretsWith(null));
    expect(missing.checks.at(-1)).toMatchObject({ id: 'secret', status: 'failed' });

    const insecure = await testFhirConnection(
      CONNECTION_ID,
      fhirSettings('http://ehr.clinic.example/fhir'),
      secretsWith(TOKEN),
    );
    expect(insecure.checks).toEqual([expect.objectContaining({ id: 'url', status: 'failed' })]);

    const url = emulator.url;
    await emulator.close();
    const dead = await testFhirConnection(CONNECTION_ID, fhirSettings(url), secretsWith(TOKEN));
    expect(dead.checks.at(-1)).toMatchObject({ id: 'reachable', status: 'failed' });
    // A pooled keep-alive socket may see the close before a new connect is refused: both are real.
    expect(dead.summary).toMatch(/refused the connection|closed the connection unexpectedly/);
    emulator = await startFhirEmulator({ seed: 'empty' });
  });
});
