import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OPERATION_NAMES,
  operations,
  type OperationInput,
  type OperationName,
} from '../../../shared/contract/operations.js';
import { ROLES, rolesAllow, type Role } from '../../../shared/contract/roles.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';

interface Fixture {
  readonly connectionId: string;
  readonly mappingId: string;
  readonly flowId: string;
}

const MATRIX_SPEC = { key: 'id', fields: [{ target: 'name', expression: 'name' }] };
const unique = (): string => Math.random().toString(36).slice(2);

/** A valid input for every operation; the mapped type makes a new operation without one a type error. */
const SAMPLE_INPUT: { readonly [N in OperationName]: (fixture: Fixture) => OperationInput<N> } = {
  'session.status': () => ({}),
  'session.setupFirstAdmin': () => ({
    username: 'second',
    displayName: 'Second',
    password: 'another long password',
  }),
  'session.login': () => ({ username: 'nobody', password: 'wrong password here' }),
  'session.unlock': () => ({ password: 'wrong password here' }),
  'session.lock': () => ({}),
  'session.logout': () => ({}),
  'operators.list': () => ({}),
  'operators.create': () => ({
    username: 'made-by-matrix',
    displayName: 'M',
    password: 'a long password 123',
    roles: ['viewer'],
  }),
  'operators.update': () => ({ username: 'target-user', displayName: 'Renamed' }),
  'operators.resetPassword': () => ({ username: 'target-user', password: 'a new long password' }),
  'connections.list': () => ({}),
  'connections.get': (f) => ({ id: f.connectionId }),
  'connections.create': () => ({
    name: `Matrix ${Math.random().toString(36).slice(2)}`,
    settings: { kind: 'csv-drop', folder: '/tmp/in', archiveFolder: '/tmp/a', rejectedFolder: '/tmp/r' },
  }),
  'connections.update': (f) => ({
    id: f.connectionId,
    name: 'Matrix Odoo',
    settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'clinic', login: 'sync' },
  }),
  'connections.delete': () => ({ id: 'conn_doesnotexist0' }),
  'connections.usages': (f) => ({ id: f.connectionId }),
  'connections.setSecret': (f) => ({ id: f.connectionId, secret: 'matrix-secret-value' }),
  'connections.clearSecret': (f) => ({ id: f.connectionId }),
  'connections.test': () => ({ id: 'conn_doesnotexist0' }),
  'audit.list': () => ({ limit: 5 }),
  'audit.exportCsv': () => ({}),
  'audit.report': () => ({ from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }),
  'audit.verify': () => ({}),
  'store.backup': () => ({}),
  'audit.checkpoint': () => ({}),
  'audit.checkpoints': () => ({ limit: 5 }),
  'audit.publicKey': () => ({}),
  // Off (null), so the matrix never points the console at a witness; push now then has nothing to do.
  'audit.witness': () => ({}),
  'audit.setWitness': () => ({ url: null }),
  'audit.pushWitnessNow': () => ({}),
  'services.status': () => ({}),
  'flows.list': () => ({}),
  'flows.get': (f) => ({ id: f.flowId }),
  'flows.create': (f) => ({
    name: `Matrix flow ${unique()}`,
    sourceConnectionId: f.connectionId,
    sourceSelector: { model: 'res.partner' },
    targetConnectionId: f.connectionId,
    targetOperation: { model: 'res.partner' },
    mappingId: f.mappingId,
  }),
  'flows.update': (f) => ({
    id: f.flowId,
    definition: {
      name: 'Matrix flow',
      sourceConnectionId: f.connectionId,
      sourceSelector: { model: 'res.partner' },
      targetConnectionId: f.connectionId,
      targetOperation: { model: 'res.partner' },
      mappingId: f.mappingId,
      enabled: false,
    },
  }),
  'flows.delete': () => ({ id: 'flow_doesnotexist0' }),
  'flows.setEnabled': (f) => ({ id: f.flowId, enabled: false }),
  'flows.runNow': (f) => ({ id: f.flowId }),
  'flows.backfill': (f) => ({ id: f.flowId, from: '2026-01-01' }),
  'mappings.list': () => ({}),
  'mappings.get': (f) => ({ id: f.mappingId }),
  'mappings.create': () => ({ name: `Matrix mapping ${unique()}`, spec: MATRIX_SPEC }),
  'mappings.saveDraft': (f) => ({ id: f.mappingId, spec: MATRIX_SPEC }),
  'mappings.approve': (f) => ({ id: f.mappingId, version: 999 }),
  'mappings.activate': (f) => ({ id: f.mappingId, version: 999 }),
  'mappings.diff': (f) => ({ id: f.mappingId, from: 1, to: 1 }),
  'mappings.preview': () => ({ spec: MATRIX_SPEC, samples: [{ id: 'a', name: 'A' }] }),
  'mappings.export': (f) => ({ id: f.mappingId }),
  'mappings.import': () => ({
    file: {
      format: 'osc.mapping/1',
      name: `Matrix import ${unique()}`,
      versions: [{ version: 1, status: 'active', author: 'x', spec: MATRIX_SPEC }],
    },
  }),
  'runs.list': () => ({}),
  'runs.get': () => ({ id: 'run_doesnotexist0' }),
  'runs.failures': () => ({ id: 'run_doesnotexist0' }),
  'runs.pause': () => ({ id: 'run_doesnotexist0' }),
  'runs.resume': () => ({ id: 'run_doesnotexist0' }),
  'runs.cancel': () => ({ id: 'run_doesnotexist0' }),
  'lineage.bySource': () => ({ sourceId: 'ChargeItem/none' }),
  'lineage.byTarget': () => ({ targetModel: 'account.move', targetKey: 'none' }),
  'exceptions.list': () => ({ state: 'open' }),
  'exceptions.groups': () => ({}),
  'exceptions.counts': () => ({}),
  'exceptions.get': () => ({ id: 'exc_doesnotexist0' }),
  'exceptions.assign': () => ({ id: 'exc_doesnotexist0', assignee: null }),
  'exceptions.note': () => ({ id: 'exc_doesnotexist0', text: 'looked at it' }),
  'exceptions.ignore': () => ({ id: 'exc_doesnotexist0', reason: 'duplicate of another record' }),
  'exceptions.retry': () => ({ ids: ['exc_doesnotexist0'] }),
  'exceptions.replay': () => ({ id: 'exc_doesnotexist0', sourcePayload: { id: 'x' } }),
  'exceptions.mapCode': () => ({ id: 'exc_doesnotexist0', value: 'Gauze 10 cm' }),
  'exceptions.retryWhenReferenced': () => ({ id: 'exc_doesnotexist0' }),
  'exceptions.fixes': () => ({}),
  'connections.breakers': () => ({}),
  'outages.overview': () => ({}),
  'outages.degrade': (f) => ({ connectionId: f.connectionId, reason: 'matrix outage drill' }),
  'outages.restore': (f) => ({ connectionId: f.connectionId }),
  'outages.procedure': () => ({}),
  'outbox.list': (f) => ({ flowId: f.flowId }),
  'fallback.form': (f) => ({ flowId: f.flowId }),
  'fallback.enter': (f) => ({
    flowId: f.flowId,
    values: { name: 'Matrix' },
    reason: 'matrix fallback drill',
  }),
  'fallback.list': () => ({}),
  'holds.list': () => ({}),
  'holds.release': () => ({ id: 'hold_00000000000000000000', reason: 'matrix release drill' }),
  'holds.reject': () => ({ id: 'hold_00000000000000000000', reason: 'matrix reject drill' }),
  'dashboard.overview': () => ({}),
  'reconcile.run': (f) => ({ flowId: f.flowId }),
  'reconcile.status': () => ({}),
  'reconcile.report': (f) => ({ flowId: f.flowId }),
  'shadow.start': (f) => ({ flowId: f.flowId, version: 1, limit: 5 }),
  'shadow.list': () => ({}),
  'shadow.report': () => ({ id: 'shadow_00000000000000000000' }),
  'shadow.gate': (f) => ({ mappingId: f.mappingId }),
  'shadow.setGate': (f) => ({ mappingId: f.mappingId, shadowPeriodsRequired: 0 }),
  'retention.settings': () => ({}),
  'retention.setPayloadDays': () => ({ payloadDays: null }),
  'retention.pruneNow': () => ({ olderThanDays: 3650 }),
};

const ENGINE_READS: readonly OperationName[] = [
  'flows.list',
  'flows.get',
  'mappings.list',
  'mappings.get',
  'mappings.diff',
  'mappings.export',
  'runs.list',
  'runs.get',
  'lineage.bySource',
  'lineage.byTarget',
  'services.status',
  // Every role sees an outage (issue 11).
  'connections.breakers',
  // Which flows use a connection (issue 14: shown before it is deleted).
  'connections.usages',
  // And the dashboard (issue 12): counts only.
  'dashboard.overview',
];
/** The exceptions inbox: every role sees the lists and counts; payloads and actions need a role that acts. */
const EXCEPTION_READS: readonly OperationName[] = [
  'exceptions.list',
  'exceptions.groups',
  'exceptions.counts',
  'exceptions.fixes',
];
const EXCEPTION_ACTIONS: readonly OperationName[] = [
  'exceptions.get',
  'exceptions.assign',
  'exceptions.note',
  'exceptions.ignore',
  'exceptions.retry',
  'exceptions.replay',
  'exceptions.mapCode',
  'exceptions.retryWhenReferenced',
];
/** Outages (issue 11): every role sees the state, the procedure and the fallback forms. */
const OUTAGE_READS: readonly OperationName[] = ['outages.overview', 'outages.procedure', 'fallback.form'];
/** Manual fallback entries: every role but viewers (the handler then checks the flow's own grant). */
const FALLBACK_ENTRY: readonly OperationName[] = ['fallback.enter', 'fallback.list'];
/** Anomaly holds (issue 12): everybody sees them; finance (and administrators) decide what is posted. */
const HOLD_DECISIONS: readonly OperationName[] = ['holds.release', 'holds.reject'];
/** Reconciliation (issue 12): every role reads status and report; viewers do not start one. */
const RECONCILE_READS: readonly OperationName[] = ['reconcile.status', 'reconcile.report'];
/** Shadow runs (issue 12): every role reads reports; IT staff (and administrators) start them. */
const SHADOW_READS: readonly OperationName[] = ['shadow.list', 'shadow.report', 'shadow.gate'];
const ENGINE_CONFIGURE: readonly OperationName[] = [
  'flows.create',
  'flows.update',
  'flows.delete',
  'flows.setEnabled',
  'flows.runNow',
  'flows.backfill',
  'mappings.create',
  'mappings.saveDraft',
  'mappings.activate',
  'mappings.preview',
  'mappings.import',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
];

/**
 * Written from the roles in the README's security model, independently of the contract: which role may call which
 * signed-in operation. The test proves the contract and the running dispatcher both match it.
 */
// Signed checkpoints and the public key are meant to be handed out: every role reads them.
const CHECKPOINT_READS: readonly OperationName[] = ['audit.checkpoints', 'audit.publicKey'];
const EXPECTED: Readonly<Record<Role, readonly OperationName[]>> = {
  'it-staff': [
    'session.lock',
    'connections.list',
    'connections.get',
    'connections.create',
    'connections.update',
    'connections.delete',
    'connections.setSecret',
    'connections.clearSecret',
    'connections.test',
    'audit.list',
    'audit.exportCsv',
    'audit.report',
    'audit.verify',
    ...CHECKPOINT_READS,
    ...ENGINE_READS,
    ...ENGINE_CONFIGURE,
    ...EXCEPTION_READS,
    ...EXCEPTION_ACTIONS,
    'runs.failures',
    ...OUTAGE_READS,
    ...FALLBACK_ENTRY,
    // The outbox holds mapped payloads: the roles that run outages read it.
    'outbox.list',
    'holds.list',
    ...SHADOW_READS,
    'shadow.start',
    ...RECONCILE_READS,
    'reconcile.run',
  ],
  finance: [
    'session.lock',
    'connections.list',
    'connections.get',
    ...CHECKPOINT_READS,
    ...ENGINE_READS,
    ...EXCEPTION_READS,
    ...EXCEPTION_ACTIONS,
    'runs.failures',
    ...OUTAGE_READS,
    ...FALLBACK_ENTRY,
    'holds.list',
    ...HOLD_DECISIONS,
    ...RECONCILE_READS,
    'reconcile.run',
    ...SHADOW_READS,
  ],
  administrator: OPERATION_NAMES.filter((name) => operations[name].access !== 'public'),
  viewer: [
    'session.lock',
    'connections.list',
    'connections.get',
    'audit.list',
    'audit.exportCsv',
    'audit.report',
    ...CHECKPOINT_READS,
    ...ENGINE_READS,
    ...EXCEPTION_READS,
    ...OUTAGE_READS,
    'holds.list',
    ...RECONCILE_READS,
    ...SHADOW_READS,
  ],
};

const SIGNED_IN_OPERATIONS = OPERATION_NAMES.filter((name) => operations[name].access !== 'public');
const REFUSALS = ['forbidden', 'unauthenticated', 'session-locked'];

describe('role matrix: each role can call exactly what the contract allows', () => {
  let harness: TestCore;
  let fixture: Fixture;

  beforeAll(async () => {
    harness = await startTestCore();
    const connection = await harness.admin.value('connections.create', {
      name: 'Matrix Odoo',
      settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'clinic', login: 'sync' },
    });
    await harness.admin.value('operators.create', {
      username: 'target-user',
      displayName: 'Target',
      password: 'a long password 123',
      roles: ['viewer'],
    });
    const mapping = await harness.admin.value('mappings.create', {
      name: 'Matrix mapping',
      spec: MATRIX_SPEC,
    });
    const flow = await harness.admin.value('flows.create', {
      name: 'Matrix flow',
      sourceConnectionId: connection.id,
      sourceSelector: { model: 'res.partner' },
      targetConnectionId: connection.id,
      targetOperation: { model: 'res.partner' },
      mappingId: mapping.id,
      enabled: false,
    });
    fixture = { connectionId: connection.id, mappingId: mapping.id, flowId: flow.id };
  });
  afterAll(() => harness.close());

  it('the contract matches the product role table', () => {
    for (const role of ROLES) {
      const allowed = SIGNED_IN_OPERATIONS.filter((name) => rolesAllow(operations[name].access, [role]));
      expect([...allowed].sort(), role).toEqual([...EXPECTED[role]].sort());
    }
  });

  it.each(ROLES)(
    '%s: allowed calls go through, the rest are refused as forbidden and audited',
    async (role) => {
      const caller = await harness.operator(`matrix-${role}`, [role]);
      // Locking ends the session's use, so it goes last.
      const order = [...SIGNED_IN_OPERATIONS.filter((n) => n !== 'session.lock'), 'session.lock' as const];
      for (const name of order) {
        const result = await caller.call(name, SAMPLE_INPUT[name](fixture));
        const allowed = EXPECTED[role].includes(name);
        if (allowed) {
          expect(result.ok || !REFUSALS.includes(result.error.code), `${role} ${name}`).toBe(true);
        } else {
          expect(result.ok ? 'ok' : result.error.code, `${role} ${name}`).toBe('forbidden');
        }
      }
      const db = new Database(join(harness.dataDir, 'osc.sqlite'), { readonly: true });
      try {
        const rows = db
          .prepare<[string], { action: string; outcome: string }>(
            'SELECT action, outcome FROM audit_log WHERE actor = ?',
          )
          .all(`matrix-${role}`);
        for (const name of order) {
          const row = rows.find((r) => r.action === name);
          expect(row, `audit row for ${role} ${name}`).toBeDefined();
          expect(row?.outcome === 'denied', `${role} ${name} audited as denied`).toBe(
            !EXPECTED[role].includes(name),
          );
        }
      } finally {
        db.close();
      }
    },
  );

  it('an anonymous caller reaches only the public operations', async () => {
    const { TestCaller } = await import('../../support/test-caller.js');
    const anonymous = new TestCaller(harness.core, 'test:anonymous');
    for (const name of OPERATION_NAMES) {
      const result = await anonymous.call(name, SAMPLE_INPUT[name](fixture));
      if (operations[name].access === 'public') {
        expect(result.ok || result.error.code !== 'forbidden', name).toBe(true);
      } else {
        expect(result.ok ? 'ok' : result.error.code, name).toBe('unauthenticated');
      }
    }
  });
});
