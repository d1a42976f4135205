import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ExceptionChangeRelay,
  exceptionsChangedAfterCall,
} from '../../../main/api/exception-change-events.js';
import { EventBus } from '../../../main/api/event-bus.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Role } from '../../../shared/contract/roles.js';
import type { RunProgress } from '../../../shared/domain/run.js';

const ID = 'exc_aaaaaaaaaa';

function progress(status: RunProgress['status'], flowId = 'flow_a'): LiveEvent {
  return {
    type: 'runs.progress',
    progress: {
      runId: 'run_a',
      flowId,
      status,
      counts: { read: 1, mapped: 1, unchanged: 0, written: 1, failed: 0 },
      throughput: 1,
      loadLatencyMs: 1,
      queueDepth: 0,
    },
  };
}

const failure = (flowId = 'flow_a'): LiveEvent => ({
  type: 'runs.failure',
  runId: 'run_a',
  flowId,
  stage: 'map',
  sourceId: 's1',
  errorCode: 'mapping.unmapped-code',
});

describe('exceptions.changed after an operator action', () => {
  it('names the ids, flow and new state of a successful exceptions write', () => {
    const answer = { id: ID, flowId: 'flow_a', state: 'ignored', sourcePayload: { secret: 1 } };
    const event = exceptionsChangedAfterCall('exceptions.ignore', 'write', { id: ID, reason: 'dup' }, answer);
    expect(event).toEqual({ type: 'exceptions.changed', flowId: 'flow_a', ids: [ID], state: 'ignored' });
    // Only ids, the flow and the state travel: never a payload, a reason or a note.
    expect(JSON.stringify(event)).not.toMatch(/secret|dup/);
  });

  it('takes the ids of a selection, and says nothing for reads or other operations', () => {
    const other = 'exc_bbbbbbbbbb';
    expect(
      exceptionsChangedAfterCall('exceptions.retry', 'write', { ids: [ID, other, 'not-an-id'] }, null),
    ).toEqual({ type: 'exceptions.changed', flowId: null, ids: [ID, other], state: null });
    expect(exceptionsChangedAfterCall('exceptions.get', 'read', { id: ID }, {})).toBeNull();
    expect(exceptionsChangedAfterCall('flows.update', 'write', { id: ID }, {})).toBeNull();
  });

  it('reaches every role, viewers included', () => {
    const roles: Record<string, readonly Role[]> = { v: ['viewer'], f: ['finance'] };
    const bus = new EventBus({ rolesOf: (id) => (id ? (roles[id] ?? null) : null) });
    const seen: string[] = [];
    for (const id of ['v', 'f'])
      bus.subscribe({ sessionId: () => id, deliver: (event) => void seen.push(`${id}:${event.type}`) });
    bus.publish({ type: 'exceptions.changed', flowId: null, ids: [ID], state: 'open' });
    expect(seen.sort()).toEqual(['f:exceptions.changed', 'v:exceptions.changed']);
  });
});

describe('exceptions.changed from engine runs', () => {
  afterEach(() => vi.useRealTimers());

  it('tells on a failed record and on a finished run, not on progress of a running one', () => {
    const sent: LiveEvent[] = [];
    let now = 0;
    const relay = new ExceptionChangeRelay(
      (event) => sent.push(event),
      () => now,
    );
    relay.observe(progress('running'));
    expect(sent).toEqual([]);
    relay.observe(failure());
    expect(sent).toEqual([{ type: 'exceptions.changed', flowId: 'flow_a', ids: [], state: null }]);
    now = 5000;
    relay.observe(progress('succeeded', 'flow_b'));
    relay.observe(progress('completed-with-failures'));
    expect(sent.map((event) => (event.type === 'exceptions.changed' ? event.flowId : ''))).toEqual([
      'flow_a',
      'flow_b',
      'flow_a',
    ]);
    relay.close();
  });

  it('coalesces a burst per flow into one event now and one trailing event', () => {
    vi.useFakeTimers();
    const sent: LiveEvent[] = [];
    const relay = new ExceptionChangeRelay(
      (event) => sent.push(event),
      () => Date.now(),
    );
    for (let index = 0; index < 50; index++) relay.observe(failure());
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(5000);
    expect(sent).toHaveLength(2);
    relay.close();
  });
});
