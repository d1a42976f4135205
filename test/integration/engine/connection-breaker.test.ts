import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/contract/events.js';
import {
  ConnectorError,
  type ExtractRequest,
  type SourcePage,
  type Target,
  type TargetOutcome,
  type WriteRequest,
} from '../../../main/connectors/types.js';
import { breakerViews } from '../../../main/engine/breakers/breaker-views.js';
import { ConnectionBreakers } from '../../../main/engine/breakers/connection-breakers.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { AppendableSource, item } from './appendable-source.js';
import { seedItemsFlow } from './items-flow-seed.js';

/**
 * An Odoo outage mid-run (issue 11, item 1): the target answers 503 for a while. The connection's
 * breaker opens after the policy's count of failed whole writes, the run stops at its last committed
 * batch without failing, no scheduled run starts while it is open, a probe (the connection's test)
 * closes it once the target answers, and the flow resumes by itself: every key written exactly once.
 */

class OutageTarget implements Target {
  readonly system = 'script';
  down = false;
  /** Goes down just before this write call (1-based), as if Odoo stopped mid-run. */
  downFromCall = Infinity;
  calls = 0;
  readonly written = new Map<string, number>();
  /** Every accepted write in arrival order: key=value (the value is the record's version). */
  readonly log: string[] = [];
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    this.calls += 1;
    if (this.calls === this.downFromCall) this.down = true;
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        if (this.down) {
          return {
            key: r.key,
            ok: false,
            error: { class: 'transient', code: 'http.503', message: 'Service Unavailable' },
          };
        }
        this.written.set(r.key, (this.written.get(r.key) ?? 0) + 1);
        this.log.push(`${r.key}=${String(r.payload['value'])}`);
        return { key: r.key, ok: true, targetId: `odoo-${r.key}`, created: true };
      }),
    );
  }
}

describe('a circuit breaker per connection', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: AppendableSource;
  let target: OutageTarget;
  let events: LiveEvent[];
  let probes: number;
  let core: EngineCore;

  beforeEach(() => {
    temp = makeTempDir('osc-breaker-');
    flowId = seedItemsFlow(temp.dir, { batchSize: 10 });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    source = new AppendableSource();
    for (let page = 0; page < 3; page += 1) {
      source.append(...Array.from({ length: 10 }, (_, i) => item(String(page * 10 + i + 1), i)));
    }
    target = new OutageTarget();
    events = [];
    probes = 0;
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      // Four attempts per chunk; the breaker opens at the third failed one.
      retryDelaysMs: [1, 1, 1],
      breakerPolicy: { threshold: 3, firstProbeMs: 30, maxProbeMs: 1000 },
      probe: () => {
        probes += 1;
        return Promise.resolve(
          target.down
            ? { ok: false, summary: 'http.503: Service Unavailable' }
            : { ok: true, summary: 'Odoo 17 answers' },
        );
      },
    });
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  const flow = () => new FlowsRepo(store.db).get(flowId)!;
  const runs = () => new RunsRepo(store.db);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const breakerOf = (id: string) => new ConnectionBreakers(store.db, () => undefined).get(id);

  const outbox = () =>
    store.db
      .prepare<[], { target_key: string; state: string; reason: string }>(
        'SELECT target_key, state, reason FROM outbox_writes ORDER BY seq',
      )
      .all();

  it('opens on the outage; the run goes on into the outbox; probes, closes and drains in key order: each write once', async () => {
    target.downFromCall = 2; // the first batch is written, then Odoo answers 503
    const first = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(1);
    await core.idle();

    // Extraction went on: the run read all three pages and put the last two into the outbox.
    const deferredRun = runs().get(first.id)!;
    expect(deferredRun.status).toBe('succeeded');
    expect(deferredRun.counts).toMatchObject({ read: 30, written: 10, failed: 0, deferred: 20 });
    expect(flow().cursor).toBe('3');
    expect(target.calls).toBe(1 + 3); // three failed whole writes opened it; no fourth was sent
    expect(outbox()).toHaveLength(20);
    expect(outbox().every((row) => row.state === 'waiting')).toBe(true);
    expect(outbox()[0]).toMatchObject({ target_key: 'item_11', reason: 'breaker' });
    const targetId = flow().targetConnectionId;
    const open = breakerOf(targetId);
    expect(open).toMatchObject({ state: 'open', failures: 3, lastError: 'http.503: Service Unavailable' });
    expect(events).toContainEqual({ type: 'connections.changed', id: targetId, change: 'breaker' });

    // What connections.breakers answers while it is open.
    expect(breakerViews(store.db)).toEqual([
      {
        connectionId: targetId,
        state: 'open',
        since: open.since,
        lastError: 'http.503: Service Unavailable',
        failures: 3,
        nextProbeAt: open.nextProbeAt,
        transitions: [
          { from: 'closed', to: 'open', at: open.since, reason: 'http.503: Service Unavailable' },
        ],
        waitingFlowIds: [],
      },
    ]);

    // While open, scheduled runs still read the source; their writes wait behind the earlier ones,
    // and Odoo is not called at all. Item 15 changes: its second version must reach Odoo after its first.
    source.append(item('15', 'v2'), item('31', 1));
    const scheduled = core.enqueue({ flowId, trigger: 'schedule', requestedBy: 'scheduler' });
    await sleep(1);
    await core.idle();
    expect(runs().get(scheduled.id)!.counts).toMatchObject({ read: 2, written: 0, deferred: 2 });
    expect(target.calls).toBe(4);
    expect(outbox()).toHaveLength(22);

    // The first probe (after 30 ms) finds it still down: open again, the next probe later.
    await sleep(40);
    await core.probeBreakers();
    expect(probes).toBe(1);
    const stillOpen = breakerOf(targetId);
    expect(stillOpen.state).toBe('open');
    expect(stillOpen.since).toBe(open.since);
    const firstWait = Date.parse(open.nextProbeAt!) - Date.parse(open.since);
    const secondWait = Date.parse(stillOpen.nextProbeAt!) - Date.parse(stillOpen.since);
    expect(firstWait).toBe(30);
    expect(secondWait).toBeGreaterThanOrEqual(60);
    await core.probeBreakers(); // not due yet: no probe
    expect(probes).toBe(1);

    // Odoo answers again: the next due probe closes the breaker and the flow resumes by itself.
    target.down = false;
    await sleep(70);
    await core.probeBreakers();
    expect(probes).toBe(2);
    expect(breakerOf(targetId).state).toBe('closed');
    await sleep(1);
    await core.idle();

    const drain = runs()
      .list(flowId, 10)
      .find((run) => run.id !== first.id && run.id !== scheduled.id)!;
    expect(drain).toMatchObject({ trigger: 'resume', status: 'succeeded', cursorBefore: '4' });
    expect(drain.counts).toMatchObject({ read: 0, drained: 22, failed: 0 });
    expect(outbox().every((row) => row.state === 'sent')).toBe(true);
    expect(target.written.size).toBe(31);
    // Each write exactly once, item 15 twice (two versions) in the order they were read.
    expect([...target.written.entries()].filter(([, count]) => count !== 1)).toEqual([['item_15', 2]]);
    expect(target.log.filter((entry) => entry.startsWith('item_15='))).toEqual(['item_15=4', 'item_15=v2']);
    // Lineage: one row per write, the drained ones under the drain run.
    const lineage = store.db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM lineage WHERE run_id = ?')
      .get(drain.id)!;
    expect(lineage.n).toBe(22);

    const [view] = breakerViews(store.db);
    expect(view).toMatchObject({ state: 'closed', failures: 0, nextProbeAt: null, waitingFlowIds: [] });
    expect(view!.transitions.map((t) => t.to)).toEqual(['closed', 'half-open', 'open', 'half-open', 'open']);
    const history = store.db
      .prepare<[string], { from_state: string; to_state: string }>(
        'SELECT from_state, to_state FROM connection_breaker_transitions WHERE connection_id = ? ORDER BY id',
      )
      .all(targetId)
      .map((row) => `${row.from_state}→${row.to_state}`);
    expect(history).toEqual([
      'closed→open',
      'open→half-open',
      'half-open→open',
      'open→half-open',
      'half-open→closed',
    ]);
    const audited = store.db
      .prepare<[], { action: string; outcome: string }>(
        "SELECT action, outcome FROM audit_log WHERE action LIKE 'connection.breaker-%' ORDER BY seq",
      )
      .all();
    expect(audited.map((row) => `${row.action}:${row.outcome}`)).toEqual([
      'connection.breaker-open:error',
      'connection.breaker-half-open:error',
      'connection.breaker-open:error',
      'connection.breaker-half-open:error',
      'connection.breaker-closed:ok',
    ]);
  });

  it('a source outage: the run stops waiting at its last page, and resumes from that cursor once the source answers', async () => {
    await core.stop();
    let sourceDown = false;
    let tripped = false;
    const flaky = {
      system: 'script',
      async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
        for await (const page of source.extract(request)) {
          if (page.cursor === '2' && !tripped) {
            tripped = true; // the FHIR server stops after the first page, once
            sourceDown = true;
          }
          if (sourceDown) throw new ConnectorError('transient', 'http.503', 'FHIR server unavailable');
          yield page;
        }
      },
    };
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: () => ({ endpoint: flaky, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      breakerPolicy: { threshold: 1, firstProbeMs: 10, maxProbeMs: 100 },
      probe: () => Promise.resolve({ ok: !sourceDown, summary: sourceDown ? 'down' : 'answers' }),
    });
    const first = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(1);
    await core.idle();
    const stopped = runs().get(first.id)!;
    expect(stopped.status).toBe('interrupted');
    expect(stopped.error).toMatch(/down since/);
    expect(flow().cursor).toBe('1');
    const sourceId = flow().sourceConnectionId;
    expect(breakerOf(sourceId).state).toBe('open');
    expect(breakerOf(flow().targetConnectionId).state).toBe('closed');

    sourceDown = false;
    await sleep(20);
    await core.probeBreakers();
    await sleep(1);
    await core.idle();
    expect(breakerOf(sourceId).state).toBe('closed');
    expect(flow().cursor).toBe('3');
    expect(target.written.size).toBe(30);
    expect([...target.written.values()].every((count) => count === 1)).toBe(true);
  });

  it('a source failing a few times below the threshold is read again from its last page: the run does not fail', async () => {
    let failuresLeft = 2;
    const flaky = {
      system: 'script',
      async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
        for await (const page of source.extract(request)) {
          if (page.cursor === '2' && failuresLeft > 0) {
            failuresLeft -= 1;
            throw new ConnectorError('transient', 'http.503', 'FHIR server unavailable');
          }
          yield page;
        }
      },
    };
    await core.stop();
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: () => ({ endpoint: flaky, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1, 1, 1],
      breakerPolicy: { threshold: 3, firstProbeMs: 10, maxProbeMs: 100 },
      probe: () => Promise.resolve({ ok: true, summary: 'answers' }),
    });
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(1);
    await core.idle();
    expect(runs().get(run.id)!).toMatchObject({ status: 'succeeded', error: null });
    expect(runs().get(run.id)!.counts).toMatchObject({ read: 30, written: 30, failed: 0 });
    // Read again from page 2, not from the start: page 1 was handed out once.
    expect(source.requestedCursors).toEqual([null, '1', '1']);
    expect(breakerOf(flow().sourceConnectionId)).toMatchObject({ state: 'closed', failures: 0 });
    expect([...target.written.values()].every((count) => count === 1)).toBe(true);
  });

  it('a failure or two is only a retry: the breaker stays closed and its count starts again', async () => {
    target.downFromCall = 2;
    const sendAgain = target.write.bind(target);
    target.write = (request) => {
      if (target.calls === 2) target.down = false; // back after one failed write
      return sendAgain(request);
    };
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(1);
    await core.idle();
    expect(runs().get(run.id)!.status).toBe('succeeded');
    expect(breakerOf(flow().targetConnectionId)).toMatchObject({ state: 'closed', failures: 0 });
    expect([...target.written.values()].every((count) => count === 1)).toBe(true);
  });
});
