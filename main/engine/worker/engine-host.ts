import type { LiveEvent } from '../../../shared/contract/events.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/types.js';
import type { SecretReader } from '../../vault/types.js';
import { MappingCompileError } from '../mapping/mapping-errors.js';
import { previewMapping } from '../mapping/preview-mapping.js';
import { EngineRequestError } from '../runner/engine-errors.js';
import { EngineCore } from '../runner/engine-core.js';
import { FlowScheduler } from '../scheduler/flow-scheduler.js';
import { Reconciler } from '../reconcile/reconciler.js';
import { ReconcileScheduler } from '../reconcile/reconcile-scheduler.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { FallbackWork } from '../fallback/fallback-work.js';
import { ShadowRuns } from '../shadow/shadow-runs.js';
import {
  engineInputSchemas,
  isEngineRequestType,
  toWorkerSchema,
  type EngineFailure,
  type EngineInput,
  type EngineOutput,
  type EngineRequestType,
  type FromWorker,
} from './engine-protocol.js';

/** The worker's end of the channel (a MessagePort in production, a plain object in tests). */
export interface HostPort {
  postMessage(message: FromWorker): void;
}

const SECRET_TIMEOUT_MS = 30_000;

/**
 * Everything the engine worker does, behind its message channel: opens its own store connection,
 * recovers, schedules, and answers requests. Kept apart from the worker entry so it can be tested
 * in process.
 */
export class EngineHost {
  private store: Store | null = null;
  private core: EngineCore | null = null;
  private scheduler: FlowScheduler | null = null;
  private reconcileScheduler: ReconcileScheduler | null = null;
  private shadow: ShadowRuns | null = null;
  private nextSecretId = 1;
  private readonly secretWaiters = new Map<
    number,
    { resolve(secret: string | null): void; reject(error: Error): void }
  >();

  constructor(private readonly port: HostPort) {}

  async handle(raw: unknown): Promise<void> {
    const parsed = toWorkerSchema.safeParse(raw);
    if (!parsed.success) return; // nothing to answer to; the client's timeout covers it
    const message = parsed.data;
    switch (message.kind) {
      case 'init':
        this.init(message.dataDir);
        return;
      case 'secret-reply': {
        const waiter = this.secretWaiters.get(message.id);
        this.secretWaiters.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.secret);
        return;
      }
      case 'stop':
        await this.stop();
        this.port.postMessage({ kind: 'stopped' });
        return;
      case 'request':
        this.port.postMessage(await this.answer(message.id, message.type, message.input));
        return;
    }
  }

  private init(dataDir: string): void {
    if (this.core) return;
    try {
      const store = openStore({ dataDir });
      this.store = store;
      const emit = (event: LiveEvent): void => this.port.postMessage({ kind: 'event', event });
      const core = new EngineCore({
        store,
        secrets: this.secretReader(),
        emit,
        onAudit: (entries) => this.port.postMessage({ kind: 'audit', entries }),
        log: (message) => this.port.postMessage({ kind: 'log', message }),
        fallback: (deps) => new FallbackWork(deps),
      });
      this.core = core;
      const flows = new FlowsRepo(store.db);
      const heads = store.db.prepare<[], { connection_id: string; seq: number }>(
        'SELECT connection_id, max(seq) AS seq FROM inbound_events GROUP BY connection_id',
      );
      this.scheduler = new FlowScheduler({
        flows: () => flows.list(),
        trigger: (flowId, trigger) => core.tryEnqueue({ flowId, trigger, requestedBy: 'engine' }),
        inboundHeads: () => new Map(heads.all().map((row) => [row.connection_id, row.seq])),
        emit,
      });
      // Scheduled reconciliations (issue 12) run here, beside the flows' own schedules.
      const reconciler = new Reconciler({
        db: store.db,
        secrets: this.secretReader(),
        emit,
        log: (message) => this.port.postMessage({ kind: 'log', message }),
      });
      this.reconcileScheduler = new ReconcileScheduler({
        flows: () => flows.list(),
        reconcile: (flowId) => reconciler.run({ flowId, trigger: 'schedule', requestedBy: 'engine' }),
        log: (message) => this.port.postMessage({ kind: 'log', message }),
      });
      core.recover();
      this.shadow = new ShadowRuns(store.db, this.secretReader());
      this.scheduler.start();
      this.reconcileScheduler.start();
      this.port.postMessage({ kind: 'ready', ownerId: core.ownerId });
    } catch (error) {
      this.port.postMessage({ kind: 'fatal', error: failureOf(error) });
    }
  }

  private async answer(id: number, type: string, input: unknown): Promise<FromWorker> {
    const fail = (error: EngineFailure): FromWorker => ({ kind: 'response', id, ok: false, error });
    if (!isEngineRequestType(type))
      return fail({ code: 'invalid-input', message: `Unknown engine request "${type}".` });
    const parsed = engineInputSchemas[type].safeParse(input);
    if (!parsed.success) return fail({ code: 'invalid-input', message: `Invalid ${type} request.` });
    try {
      // The schema for `type` produced `parsed.data`; TypeScript cannot correlate them through the union.
      const value = await this.run(type, parsed.data);
      return { kind: 'response', id, ok: true, value };
    } catch (error) {
      return fail(failureOf(error));
    }
  }

  private run<K extends EngineRequestType>(
    type: K,
    input: EngineInput<K>,
  ): Promise<EngineOutput<K>> | EngineOutput<K> {
    const request = { type, input } as {
      [T in EngineRequestType]: { type: T; input: EngineInput<T> };
    }[EngineRequestType];
    // Pure: needs neither the store nor a started engine.
    if (request.type === 'previewMapping') return previewMapping(request.input.spec, request.input.samples);
    const core = this.core;
    const scheduler = this.scheduler;
    if (!core || !scheduler) throw new EngineRequestError('unavailable', 'The engine is not started.');
    let output: unknown;
    switch (request.type) {
      case 'enqueue':
        output = core.enqueue(request.input);
        break;
      case 'pause':
        output = core.pause(request.input.runId);
        break;
      case 'resume':
        output = core.resume(request.input.runId);
        break;
      case 'cancel':
        output = core.cancel(request.input.runId);
        break;
      case 'flowsChanged':
        scheduler.reload();
        this.reconcileScheduler?.reload();
        output = { scheduled: scheduler.nextRuns().size };
        break;
      case 'retryExceptions':
        output = core.retryExceptions(request.input.exceptionIds, request.input.requestedBy);
        break;
      case 'replayEdited':
        // Asynchronous (the mapping evaluates the edit): the caller awaits the promise.
        return core.replayEdited(
          request.input.exceptionId,
          request.input.sourcePayload,
          request.input.requestedBy,
        );
      case 'applyFixes':
        core.applyFixes();
        output = {};
        break;
      case 'drainOutbox':
        output = { runIds: core.drainOutbox(request.input).map((run) => run.id) };
        break;
      case 'enterFallback':
        // Asynchronous (the mapping evaluates the entry): the caller awaits the promise.
        return core.enterFallback(request.input);
      case 'shadowRun':
        if (!this.shadow) throw new EngineRequestError('unavailable', 'The engine is not started.');
        output = this.shadow.start(request.input);
        break;
      case 'status':
        output = { activeRuns: core.activeCount, queuedRuns: core.queuedCount, ownerId: core.ownerId };
        break;
    }
    return output as EngineOutput<K>;
  }

  private secretReader(): SecretReader {
    return {
      read: (connectionId) =>
        new Promise<string | null>((resolve, reject) => {
          const id = this.nextSecretId++;
          const timer = setTimeout(() => {
            this.secretWaiters.delete(id);
            reject(new Error('The console did not hand over the connection secret in time.'));
          }, SECRET_TIMEOUT_MS);
          this.secretWaiters.set(id, {
            resolve: (secret) => {
              clearTimeout(timer);
              resolve(secret);
            },
            reject: (error) => {
              clearTimeout(timer);
              reject(error);
            },
          });
          this.port.postMessage({ kind: 'secret-request', id, connectionId });
        }),
    };
  }

  async stop(): Promise<void> {
    this.scheduler?.stop();
    this.reconcileScheduler?.stop();
    await this.shadow?.stop();
    this.shadow = null;
    await this.core?.stop();
    this.store?.close();
    this.core = null;
    this.store = null;
  }
}

function failureOf(error: unknown): EngineFailure {
  if (error instanceof EngineRequestError) return { code: error.code, message: error.message };
  if (error instanceof MappingCompileError)
    return { code: 'invalid-input', message: `spec: ${error.message}` };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
