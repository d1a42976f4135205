import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineCore, type EngineCoreOptions } from '../../../main/engine/runner/engine-core.js';
import { ExceptionFixRequests } from '../../../main/engine/store/exception-fix-requests.js';
import { ExceptionFixesRepo } from '../../../main/engine/store/exception-fixes-repo.js';
import { ExceptionsRepo, ExceptionStateError } from '../../../main/engine/store/exceptions-repo.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { MappingsRepo } from '../../../main/engine/store/mappings-repo.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { ExceptionSummary } from '../../../shared/domain/exception.js';
import { flowDefinitionSchema } from '../../../shared/domain/flow.js';
import { AppendableSource } from './appendable-source.js';
import { FixTarget, lab, patient, seedFixFlows, supply } from './fix-flows-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * One-click fixes on a real store and the real engine (issue 10): mapping a missing code goes
 * through a draft and the four-eyes approval, and replays exactly what that code blocked once the
 * version is active; exceptions awaiting a referenced record are replayed after a run writes through
 * the same target connection, and never go dead for it; a flow's own retry limit decides when a
 * transient exception is dead, and a dead one retried by hand starts a fresh budget.
 */
describe('one-click exception fixes', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let seeded: ReturnType<typeof seedFixFlows>;
  let sources: Map<string, AppendableSource>;
  let target: FixTarget;
  let core: EngineCore;
  let exceptions: ExceptionsRepo;
  let fixes: ExceptionFixesRepo;
  let requests: ExceptionFixRequests;
  let events: LiveEvent[];

  function start(options: Partial<EngineCoreOptions> = {}): void {
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: (connectionId) => {
          const endpoint = sources.get(connectionId);
          if (endpoint === undefined) throw new Error(`no source ${connectionId}`);
          return { endpoint, close: () => Promise.resolve() };
        },
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1],
      autoRetryEveryMs: 0,
      ...options,
    });
  }

  async function settle(): Promise<void> {
    await sleep(1);
    await core.idle();
    await sleep(1);
    await core.idle();
  }

  async function run(flowId: string): Promise<void> {
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await settle();
  }

  async function until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(10);
    }
  }

  const source = (flow: keyof typeof seeded.sources): AppendableSource => {
    const found = sources.get(seeded.sources[flow]);
    if (found === undefined) throw new Error(`no source for ${flow}`);
    return found;
  };
  const exceptionOf = (sourceId: string): ExceptionSummary => {
    const found = exceptions
      .list({ text: sourceId }, undefined, 500)
      .items.find((e) => e.sourceId === sourceId);
    if (!found) throw new Error(`no exception for ${sourceId}`);
    return found;
  };
  const column = <T>(sql: string, ...params: unknown[]): T =>
    store.db
      .prepare(sql)
      .pluck()
      .get(...params) as T;

  beforeEach(() => {
    temp = makeTempDir('osc-fixes-');
    seeded = seedFixFlows(temp.dir);
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    sources = new Map(Object.values(seeded.sources).map((id) => [id, new AppendableSource()]));
    target = new FixTarget();
    exceptions = new ExceptionsRepo(store.db);
    fixes = new ExceptionFixesRepo(store.db);
    requests = new ExceptionFixRequests(store.db);
    events = [];
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  it('map this code: a draft needing another approver; once active, exactly that code’s exceptions are replayed and resolved', async () => {
    // The engine notices the activation on its own clock here (as after an import or a tool).
    start({ autoRetryEveryMs: 20 });
    core.recover();
    source('supplies').append(
      supply('a', 'K1'),
      supply('b', 'K2'),
      supply('c', 'K2'),
      supply('d', 'K3'), // same signature (code shape), another code: not unblocked by mapping K2
      supply('e', 'ZZ-77'), // another signature
    );
    await run(seeded.flows.supplies);
    const b = exceptionOf('Supply/b');
    expect(b).toMatchObject({ class: 'reference', errorCode: 'mapping.unmapped-code', fixId: null });
    expect(exceptionOf('Supply/d').signature).toBe(b.signature);

    const { fix, draft } = requests.mapCode({ exceptionId: b.id, value: 'two', by: 'fin' });
    expect(fix).toMatchObject({
      kind: 'map-code',
      state: 'awaiting-approval',
      valueMap: 'kinds',
      code: 'K2',
      mappedTo: 'two',
      mappingVersion: 2,
      progress: { total: 2, resolved: 0, failed: 0, pending: 2 },
    });
    const mappings = new MappingsRepo(store.db);
    expect(draft).toMatchObject({ version: 2, status: 'draft', author: 'fin' });
    expect(draft?.spec.valueMaps.kinds?.entries).toEqual({ K1: 'one', K2: 'two' });
    expect(mappings.activeVersion(seeded.mappings.supplies)?.version).toBe(1);
    expect(exceptionOf('Supply/c').fixId).toBe(fix.id);
    expect(exceptionOf('Supply/d').fixId).toBeNull();
    // The same click again answers the same fix; another value for the same code is refused.
    expect(requests.mapCode({ exceptionId: b.id, value: 'two', by: 'fin' }).draft).toBeNull();
    expect(() => requests.mapCode({ exceptionId: b.id, value: 'deux', by: 'fin' })).toThrow(
      ExceptionStateError,
    );

    // Four eyes: the operator who mapped the code cannot approve it (the store refuses it too).
    expect(() => mappings.approve(seeded.mappings.supplies, 2, 'fin')).toThrow(/CHECK/);
    await sleep(60);
    expect(target.writesOf('item_b')).toBe(0);
    expect(fixes.get(fix.id)?.state).toBe('awaiting-approval');
    expect(mappings.approve(seeded.mappings.supplies, 2, 'admin2')).toBe(true);
    expect(fixes.get(fix.id)?.state).toBe('awaiting-activation');
    await sleep(60);
    expect(target.writesOf('item_b')).toBe(0);

    const eventsBefore = events.length;
    expect(mappings.activate(seeded.mappings.supplies, 2, 'admin2')).toBe(true);
    await until(() => fixes.get(fix.id)?.state === 'done', 'the fix to finish');
    await settle();
    const done = fixes.get(fix.id);
    expect(done?.progress).toEqual({ total: 2, resolved: 2, failed: 0, pending: 0 });
    expect(done?.replayRunIds).toHaveLength(1);
    // The inbox hears of the fix starting and finishing (besides the replay run's own events).
    const fixEvents = events
      .slice(eventsBefore)
      .filter((e) => e.type === 'exceptions.changed' && e.flowId === seeded.flows.supplies);
    expect(fixEvents.length).toBeGreaterThanOrEqual(2);
    const replay = new RunsRepo(store.db).get(done?.replayRunIds[0] ?? '');
    expect(replay).toMatchObject({ trigger: 'replay', requestedBy: 'admin2', mappingVersion: 2 });
    for (const id of ['Supply/b', 'Supply/c'])
      expect(exceptionOf(id)).toMatchObject({ state: 'resolved', fixId: null });
    expect(exceptionOf('Supply/d').state).toBe('open');
    expect(exceptionOf('Supply/e').state).toBe('open');
    expect([...target.writes.entries()].sort()).toEqual([
      ['item_a', 1],
      ['item_b', 1],
      ['item_c', 1],
    ]);
    expect(target.held.get('item_b')).toEqual({ value: 1, kind: 'two' });
    // Audited under the person whose activation started it.
    const audit = store.db
      .prepare<[], { actor: string; target: string; detail: string }>(
        "SELECT actor, target, detail FROM audit_log WHERE action = 'exceptions.fix.replay'",
      )
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'admin2', target: fix.id });
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({ fix: fix.id, count: 2 });
    // Only unmapped-code exceptions can be fixed so.
    expect(() => requests.mapCode({ exceptionId: b.id, value: 'x', by: 'fin' })).toThrow(/resolved/);
  });

  it('codes mapped one after another chain their drafts: activating the newest applies every fix', async () => {
    start();
    source('supplies').append(supply('b', 'K2'), supply('d', 'K3'), supply('e', 'ZZ-77'));
    await run(seeded.flows.supplies);
    const k2 = requests.mapCode({ exceptionId: exceptionOf('Supply/b').id, value: 'two', by: 'fin' });
    const k3 = requests.mapCode({ exceptionId: exceptionOf('Supply/d').id, value: 'three', by: 'fin' });
    expect(k3.draft?.version).toBe(3);
    expect(k3.draft?.spec.valueMaps.kinds?.entries).toEqual({ K1: 'one', K2: 'two', K3: 'three' });
    const mappings = new MappingsRepo(store.db);
    mappings.approve(seeded.mappings.supplies, 3, 'admin2');
    mappings.activate(seeded.mappings.supplies, 3, 'admin2');
    core.applyFixes();
    await settle();
    expect(fixes.get(k2.fix.id)).toMatchObject({ state: 'done', progress: { total: 1, resolved: 1 } });
    expect(fixes.get(k3.fix.id)).toMatchObject({ state: 'done', progress: { total: 1, resolved: 1 } });
    expect(exceptionOf('Supply/e').state).toBe('open');
    expect([...target.writes.entries()].sort()).toEqual([
      ['item_b', 1],
      ['item_d', 1],
    ]);
  });

  it('retry when the referenced record exists: waits, is replayed after a run writes through the same connection, never dead', async () => {
    start({ referenceBackoff: { limit: Infinity, initialDelayMs: 10, maxDelayMs: 20 } });
    source('labs').append(lab('1', 'P1'), lab('2', 'P2'), lab('3', 'P9'), lab('4', 'P4'));
    await run(seeded.flows.labs);
    const l3 = exceptionOf('Lab/3');
    expect(l3).toMatchObject({ class: 'reference', errorCode: 'odoo.unknown-reference' });
    const fix = requests.retryWhenReferenced({ signature: l3.signature }, 'fin');
    expect(fix).toMatchObject({
      kind: 'await-reference',
      state: 'waiting',
      progress: { total: 4, pending: 4 },
    });
    const due = Date.parse(fix.nextAttemptAt ?? '') - Date.now();
    expect(due).toBeGreaterThan(0);
    // The backoff from 1 minute (with jitter) up to 1 hour: a first wait, never past the longest.
    expect(due).toBeGreaterThan(0);
    expect(due).toBeLessThanOrEqual(3_600_000);
    expect(exceptionOf('Lab/1').fixId).toBe(fix.id);
    // Asking again for one of them answers the same fix.
    expect(requests.retryWhenReferenced({ id: l3.id }, 'fin').id).toBe(fix.id);

    // A run that wrote nothing does not replay them.
    await run(seeded.flows.patients);
    expect(target.writesOf('lab_1')).toBe(1);
    // The patients flow writes P1 and P2 through the same target connection: the labs go again.
    // Lab 4's patient comes too, but the lab itself is then refused as bad data.
    target.refused.add('lab_4');
    source('patients').append(patient('P1'), patient('P2'), patient('P4'));
    await run(seeded.flows.patients);
    await settle();
    expect(exceptionOf('Lab/1').state).toBe('resolved');
    expect(exceptionOf('Lab/2').state).toBe('resolved');
    expect(target.writesOf('lab_1')).toBe(2);
    // Lab 3's patient is still missing: it failed again with the same reference error, and waits.
    expect(exceptionOf('Lab/3')).toMatchObject({ state: 'open', class: 'reference', fixId: fix.id });
    expect(column<number>('SELECT auto_retries FROM exceptions WHERE id = ?', l3.id)).toBe(0);
    // Lab 4 now needs another fix (a data error): it no longer waits for a record.
    expect(exceptionOf('Lab/4')).toMatchObject({ state: 'open', class: 'data' });
    expect(fixes.get(fix.id)).toMatchObject({
      state: 'waiting',
      progress: { total: 4, resolved: 2, failed: 1, pending: 1 },
    });

    // Its own backoff replays it again (made due here), still not dead.
    store.db
      .prepare('UPDATE exception_fixes SET next_attempt_at = ? WHERE id = ?')
      .run('2000-01-01T00:00:00.000Z', fix.id);
    core.retryDue();
    await settle();
    expect(target.writesOf('lab_3')).toBe(3);
    expect(target.writesOf('lab_4')).toBe(2);
    expect(exceptionOf('Lab/3').state).toBe('open');
    expect(Date.parse(fixes.get(fix.id)?.nextAttemptAt ?? '')).toBeGreaterThan(Date.parse('2001-01-01'));

    source('patients').append(patient('P9'));
    await run(seeded.flows.patients);
    await settle();
    expect(exceptionOf('Lab/3').state).toBe('resolved');
    // Done: nothing waits for a record any more (lab 4 stays open for its own fix).
    expect(fixes.get(fix.id)).toMatchObject({
      state: 'done',
      progress: { total: 4, resolved: 3, failed: 1, pending: 0 },
    });
    expect(exceptionOf('Lab/4').state).toBe('open');
    // Only a missing-reference exception can wait for its record.
    expect(() => requests.retryWhenReferenced({ id: l3.id }, 'fin')).toThrow(/resolved/);
  });

  it('a flow’s own retry limit: limit 1 makes a transient exception dead after one automatic retry; retried by hand it gets a fresh budget', async () => {
    const flows = new FlowsRepo(store.db);
    const flow = flows.get(seeded.flows.labs);
    if (flow === null) throw new Error('no labs flow');
    const definition = flowDefinitionSchema.parse({
      ...Object.fromEntries(
        Object.keys(flowDefinitionSchema.shape).map((key) => [key, flow[key as keyof typeof flow]]),
      ),
      autoRetry: { limit: 1, initialDelayMs: 1000, maxDelayMs: 1000 },
    });
    flows.update(flow.id, definition, 'test');
    start({ autoRetry: { limit: 5, initialDelayMs: 10, maxDelayMs: 20 } });
    source('patients').append(patient('P1'));
    await run(seeded.flows.patients);
    target.unavailable.set('lab_1', 1000);
    // With a record that goes through: a chunk failing as a whole would be the target being down.
    source('labs').append(lab('1', 'P1'), lab('2', 'P1'));
    await run(seeded.flows.labs);
    const l1 = exceptionOf('Lab/1');
    expect(l1).toMatchObject({ class: 'transient', state: 'retrying' });
    // The flow's delay (1 s), not the engine default (≤ 20 ms).
    expect(Date.parse(l1.nextAttemptAt ?? '') - Date.parse(l1.lastFailedAt)).toBeGreaterThan(20);
    const due = (): void => {
      store.db
        .prepare('UPDATE exceptions SET next_attempt_at = ? WHERE id = ?')
        .run('2000-01-01T00:00:00.000Z', l1.id);
    };
    due();
    core.retryDue();
    await settle();
    expect(exceptionOf('Lab/1')).toMatchObject({ state: 'dead', nextAttemptAt: null });

    core.retryExceptions([l1.id], 'fin');
    await settle();
    // Still failing, but automatic retries start over: retrying, budget 1 of the flow's 1 used.
    expect(exceptionOf('Lab/1').state).toBe('retrying');
    expect(column<number>('SELECT auto_retries FROM exceptions WHERE id = ?', l1.id)).toBe(1);
    target.unavailable.delete('lab_1');
    due();
    core.retryDue();
    await settle();
    expect(exceptionOf('Lab/1').state).toBe('resolved');
  });

  it('a one-click fix that unblocks 10,000 exceptions replays exactly those 10,000, once each', async () => {
    start();
    const blocked = Array.from({ length: 10_000 }, (_, n) => `b${n}`);
    for (let at = 0; at < blocked.length; at += 1000)
      source('supplies').append(...blocked.slice(at, at + 1000).map((id) => supply(id, 'K2')));
    source('supplies').append(
      ...Array.from({ length: 20 }, (_, n) => supply(`ok${n}`, 'K1')),
      ...Array.from({ length: 20 }, (_, n) => supply(`other${n}`, 'K3')),
      ...Array.from({ length: 20 }, (_, n) => supply(`shape${n}`, 'ZZ-77')),
    );
    await run(seeded.flows.supplies);
    expect(exceptions.counts()).toEqual([{ flowId: seeded.flows.supplies, open: 10_040, dead: 0 }]);
    const writesBefore = new Map(target.writes);
    expect(target.totalWrites).toBe(20);

    const first = exceptionOf('Supply/b0');
    const { fix } = requests.mapCode({ exceptionId: first.id, value: 'two', by: 'fin' });
    expect(fix.progress).toEqual({ total: 10_000, resolved: 0, failed: 0, pending: 10_000 });
    const mappings = new MappingsRepo(store.db);
    mappings.approve(seeded.mappings.supplies, 2, 'admin2');
    mappings.activate(seeded.mappings.supplies, 2, 'admin2');
    core.applyFixes(); // what the activation handler asks the engine worker to do
    await settle();
    await until(() => fixes.get(fix.id)?.state === 'done', 'the fix to finish', 30_000);

    const done = fixes.get(fix.id);
    expect(done?.progress).toEqual({ total: 10_000, resolved: 10_000, failed: 0, pending: 0 });
    for (const id of blocked) {
      if (target.writesOf(`item_${id}`) !== 1)
        throw new Error(`item_${id} written ${target.writesOf(`item_${id}`)} times`);
    }
    // Nothing else was written: the 20 mapped ones only by the first run, the others never.
    expect(target.totalWrites).toBe(20 + 10_000);
    for (const [key, count] of writesBefore) expect(target.writesOf(key)).toBe(count);
    expect(exceptions.counts()).toEqual([{ flowId: seeded.flows.supplies, open: 40, dead: 0 }]);
    expect(
      column<number>(
        "SELECT count(*) FROM exceptions WHERE state = 'resolved' AND source_id LIKE 'Supply/b%'",
      ),
    ).toBe(10_000);
    expect(
      column<number>(
        'SELECT count(*) FROM replay_items WHERE run_id IN (SELECT run_id FROM exception_fix_runs WHERE fix_id = ?)',
        fix.id,
      ),
    ).toBe(10_000);
  }, 90_000);
});
