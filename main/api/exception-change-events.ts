import type { LiveEvent } from '../../shared/contract/events.js';
import { EXCEPTION_STATES } from '../../shared/domain/exception.js';
import { RUN_STATUSES } from '../../shared/domain/run.js';

type ExceptionsChanged = Extract<LiveEvent, { type: 'exceptions.changed' }>;

const EXCEPTION_ID = /^exc_[a-z0-9]{10,40}$/;
const ACTIVE_RUN_STATUSES: readonly string[] = ['queued', 'running', 'paused'];
const FINISHED_RUN_STATUSES = RUN_STATUSES.filter((status) => !ACTIVE_RUN_STATUSES.includes(status));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function exceptionIds(input: unknown): string[] {
  if (!isRecord(input)) return [];
  const ids = [input.id, ...(Array.isArray(input.ids) ? (input.ids as unknown[]) : [])];
  return ids.filter((id): id is string => typeof id === 'string' && EXCEPTION_ID.test(id));
}

/**
 * The live event owed after a successful `exceptions.*` write (assign, note, ignore, and whatever
 * resolution operations join them later): the ids it named, and the flow and state the answer
 * reports when it is an exception. Null for reads and for other operations. It is built from the
 * call, not inside each handler, so no new exception operation can forget to tell the consoles.
 */
export function exceptionsChangedAfterCall(
  name: string,
  kind: 'read' | 'write',
  input: unknown,
  value: unknown,
): ExceptionsChanged | null {
  if (!name.startsWith('exceptions.') || kind !== 'write') return null;
  const answer = isRecord(value) ? value : {};
  const state = EXCEPTION_STATES.find((known) => known === answer.state) ?? null;
  return {
    type: 'exceptions.changed',
    flowId: typeof answer.flowId === 'string' ? answer.flowId : null,
    ids: exceptionIds(input),
    state,
  };
}

/** Per flow at most one event a second while a run fails many records: consoles reread lists. */
const RELAY_INTERVAL_MS = 1000;

/**
 * Turns the engine worker's run events into `exceptions.changed` for the consoles: a failed record
 * (`runs.failure`) opened or added to an exception, and a finished run may have resolved some (its
 * successes settle exceptions inside the same batch transaction). The engine records exceptions in
 * its batch commit and reports the run's events after it, so by the time this fires the rows are
 * there. Bursts are coalesced per flow: the first event goes out at once, the rest of a second's
 * worth as one trailing event.
 */
export class ExceptionChangeRelay {
  private readonly lastSent = new Map<string, number>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly publish: (event: LiveEvent) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  observe(event: LiveEvent): void {
    if (event.type === 'runs.failure') this.changed(event.flowId);
    else if (event.type === 'runs.progress' && FINISHED_RUN_STATUSES.includes(event.progress.status))
      this.changed(event.progress.flowId);
  }

  close(): void {
    for (const timer of this.trailing.values()) clearTimeout(timer);
    this.trailing.clear();
  }

  private changed(flowId: string): void {
    if (this.trailing.has(flowId)) return;
    const wait = (this.lastSent.get(flowId) ?? -Infinity) + RELAY_INTERVAL_MS - this.now();
    if (wait <= 0) {
      this.send(flowId);
      return;
    }
    const timer = setTimeout(() => {
      this.trailing.delete(flowId);
      this.send(flowId);
    }, wait);
    timer.unref();
    this.trailing.set(flowId, timer);
  }

  private send(flowId: string): void {
    this.lastSent.set(flowId, this.now());
    this.publish({ type: 'exceptions.changed', flowId, ids: [], state: null });
  }
}
