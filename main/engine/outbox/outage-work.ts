import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { FallbackEntry } from '../../../shared/domain/fallback.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run, RunTrigger } from '../../../shared/domain/run.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { SecretReader } from '../../vault/types.js';
import { connectionTestProbe, probeDueBreakers, type ConnectionProbe } from '../breakers/breaker-probes.js';
import { downMessage, type ConnectionBreakers } from '../breakers/connection-breakers.js';
import type { FallbackEntryInput, FallbackWorkApi, FallbackWorkDeps } from '../fallback/fallback-types.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import type { MappingsRepo } from '../store/mappings-repo.js';
import { EngineRequestError } from '../runner/engine-errors.js';
import type { EnqueueRequest } from '../runner/engine-options.js';
import type { FlowsRepo } from '../store/flows-repo.js';
import { DegradedModes } from './degraded-modes.js';
import { OutboxRepo } from './outbox-repo.js';

const UNATTENDED: readonly RunTrigger[] = ['schedule', 'realtime'];

export interface OutageWorkDeps {
  readonly db: Database.Database;
  readonly flows: FlowsRepo;
  readonly connections: ConnectionsRepo;
  readonly breakers: ConnectionBreakers;
  readonly secrets: SecretReader;
  readonly probe?: ConnectionProbe | undefined;
  readonly mappings: MappingsRepo;
  readonly compiled: (mappingId: string, version: number) => CompiledMapping;
  /** Manual fallback's engine side (FallbackWork in the worker); without it, entries are refused. */
  readonly fallback?: ((deps: FallbackWorkDeps) => FallbackWorkApi) | undefined;
  readonly enqueue: (request: EnqueueRequest) => Run | null;
  /** Whether another live console process holds the flow's lease. */
  readonly heldByOther: (flowId: string) => boolean;
  readonly emit: (event: LiveEvent) => void;
  readonly log?: ((message: string) => void) | undefined;
}

/**
 * The engine's part of outage operations (issue 11): which runs may start while a connection is down
 * or degraded, the probes that close breakers, and the drains of the outbox that follow (a drain is
 * an ordinary run of the flow: it sends what waits first, then reads the source as usual).
 */
export class OutageWork {
  readonly outbox: OutboxRepo;
  readonly degraded: DegradedModes;
  private probing = false;

  readonly fallback: FallbackWorkApi | null;

  constructor(private readonly deps: OutageWorkDeps) {
    this.outbox = new OutboxRepo(deps.db);
    this.degraded = new DegradedModes(deps.db);
    const { db, flows, mappings, connections, compiled, emit, log } = deps;
    this.fallback =
      deps.fallback?.({
        db,
        flows,
        mappings,
        connections,
        compiled,
        outbox: this.outbox,
        emit,
        ...(log === undefined ? {} : { log }),
      }) ?? null;
  }

  /**
   * Why a run of the flow may not start now, or null. A source that is down or degraded holds its
   * unattended runs (nothing to read); a target that is down does not (its writes wait in the outbox),
   * except for replays of exceptions, which only write.
   */
  refusalFor(flow: Flow, trigger: RunTrigger): string | null {
    if (UNATTENDED.includes(trigger)) {
      const down = this.downNow(flow.sourceConnectionId);
      if (down !== null) {
        // The wake is not lost: the flow runs when the source's breaker closes (or its degraded
        // mode is switched off), like a run that stopped on it.
        this.deps.breakers.waitFor(flow.id, flow.sourceConnectionId, `refused-${trigger}`);
        return down;
      }
    }
    if (trigger === 'replay') return this.downNow(flow.targetConnectionId);
    return null;
  }

  /** Why this connection takes no work now (breaker not closed, or degraded), or null. */
  private downNow(connectionId: string): string | null {
    const name = this.deps.connections.get(connectionId)?.name ?? connectionId;
    const mode = this.degraded.get(connectionId);
    if (mode !== null) {
      return `Not started: ${name} is in degraded mode since ${mode.since.slice(11, 19)} UTC (${mode.since.slice(0, 10)}): ${mode.reason}`;
    }
    const breaker = this.deps.breakers.get(connectionId);
    return breaker.state === 'closed' ? null : downMessage(name, breaker.since, 'Not started');
  }

  /** Whether writes to this connection must wait in the outbox now. */
  targetDown(connectionId: string): boolean {
    return this.degraded.get(connectionId) !== null || this.deps.breakers.isOpen(connectionId);
  }

  /**
   * Queues a run for each flow whose outbox has waiting writes (of one connection's flows, of one
   * flow, or all), unless its target is still down; a run already waiting for the flow is the drain.
   */
  drain(request: { connectionId: string | null; flowId: string | null; requestedBy: string }): Run[] {
    let flowIds: string[];
    let woken: string[] = [];
    if (request.flowId !== null) flowIds = this.outbox.hasWaiting(request.flowId) ? [request.flowId] : [];
    else if (request.connectionId !== null) {
      flowIds = this.outbox.flowsWaitingOn(request.connectionId);
      // Back from degraded mode as a source: the flows whose wakes waited for it run now (they read,
      // and defer their writes if their own target is down).
      woken = this.deps.breakers.endWaitsOf(request.connectionId);
    } else flowIds = this.outbox.flowsWaiting();
    const runs: Run[] = [];
    const queue = (flowId: string): void => {
      const run = this.deps.enqueue({ flowId, trigger: 'resume', requestedBy: request.requestedBy });
      if (run !== null && !runs.some((queued) => queued.id === run.id)) runs.push(run);
    };
    for (const flowId of flowIds) {
      const flow = this.deps.flows.get(flowId);
      if (flow !== null && !this.targetDown(flow.targetConnectionId)) queue(flowId);
    }
    for (const flowId of woken) queue(flowId);
    return runs;
  }

  /**
   * Outbox writes waiting for a target that is up with no run of their flow to send them (the drain
   * was asked for while no engine ran, or its run was cancelled): a run is queued. `busy`: flows with
   * a run here already; flows another live console process holds are left to it.
   */
  drainForgotten(busy: ReadonlySet<string>): void {
    for (const flowId of this.outbox.flowsWaiting()) {
      if (busy.has(flowId) || this.deps.heldByOther(flowId)) continue;
      const flow = this.deps.flows.get(flowId);
      if (flow === null || this.targetDown(flow.targetConnectionId)) continue;
      this.deps.enqueue({ flowId, trigger: 'resume', requestedBy: 'engine' });
    }
  }

  /**
   * Tells the consoles what a finished run did to the outbox: writes queued (the banner's exposure
   * grows), a drain finished (nothing of the flow waits any more), or a drain stuck (it sent some,
   * then stopped with writes still waiting) — what desktop notifications speak of.
   */
  afterRun(run: Run | null): void {
    if (run === null) return;
    const { deferred = 0, drained = 0 } = run.counts;
    if (deferred === 0 && drained === 0) return;
    const flow = this.deps.flows.get(run.flowId);
    // A flow that watches anomalies stages each run's writes in the outbox and sends them once judged
    // normal (main/engine/anomaly): that round trip is no outage, and no "replay finished" to announce.
    if (flow?.anomaly !== undefined && deferred === drained && !this.outbox.hasWaiting(run.flowId)) return;
    const connectionId = flow?.targetConnectionId ?? null;
    let change: 'outbox' | 'drain-finished' | 'drain-stuck' = 'outbox';
    if (drained > 0) change = this.outbox.hasWaiting(run.flowId) ? 'drain-stuck' : 'drain-finished';
    this.deps.emit({ type: 'outages.changed', change, connectionId, flowId: run.flowId });
  }

  /** A manual fallback entry: mapped and queued by the fallback work, then drained if the target is up. */
  async enterFallback(input: FallbackEntryInput): Promise<FallbackEntry> {
    if (this.fallback === null) {
      throw new EngineRequestError('unavailable', 'Manual fallback is not available in this engine.');
    }
    const entry = await this.fallback.enter(input);
    this.drain({ connectionId: null, flowId: input.flowId, requestedBy: input.enteredBy });
    return entry;
  }

  /**
   * Probes the open breakers whose backoff has passed (one round at a time); a closed one queues the
   * flows its outage stopped again (from their cursors) and drains the writes that waited for it.
   */
  async probeBreakers(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await probeDueBreakers({
        breakers: this.deps.breakers,
        probe: this.deps.probe ?? connectionTestProbe(this.deps.db, this.deps.connections, this.deps.secrets),
        requeue: (flowIds, connectionId) => {
          for (const flowId of new Set([...flowIds, ...this.outbox.flowsWaitingOn(connectionId)])) {
            this.deps.enqueue({ flowId, trigger: 'resume', requestedBy: 'engine' });
          }
        },
        log: this.deps.log,
      });
    } finally {
      this.probing = false;
    }
  }
}
