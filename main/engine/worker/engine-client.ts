import type { Worker } from 'node:worker_threads';
import { ExponentialBackoff, noJitterGenerator, type IBackoff } from 'cockatiel';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { SecretReader } from '../../vault/types.js';
import { startEngineWorker } from './engine-worker-entry.js';
import type {
  EngineFailure,
  EngineInput,
  EngineOutput,
  EngineRequestType,
  FromWorker,
  ToWorker,
} from './engine-protocol.js';

/** A refused or failed engine call: the worker's error code and message (never its stack). */
export class EngineCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineCallError';
  }
}

export interface EngineClientOptions {
  readonly dataDir: string;
  readonly secrets: SecretReader;
  readonly publish: (event: LiveEvent) => void;
  readonly onAudit?: (entries: readonly AuditEntry[]) => void;
  readonly log?: (message: string) => void;
  readonly callTimeoutMs?: number;
  /** Restart delay after the worker died; doubles up to 30 s while it keeps dying. */
  readonly restartDelayMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: EngineCallError): void;
  timer: NodeJS.Timeout;
}

/**
 * The serving thread's handle on the engine worker: typed requests answered by id, live events and
 * audit rows relayed to the event bus, secrets read from the keychain on the worker's behalf. If the
 * worker dies it is restarted; the new one recovers interrupted runs from the store.
 */
export class EngineClient {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** The restart backoff while the worker keeps dying (cockatiel); null once one started. */
  private backoff: IBackoff<unknown> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: EngineClientOptions) {}

  get running(): boolean {
    return this.worker !== null;
  }

  /** Starts the worker (once) and resolves when it has recovered and is taking requests. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new EngineCallError('unavailable', 'The engine was closed.'));
    this.ready ??= this.spawn();
    return this.ready;
  }

  async call<K extends EngineRequestType>(type: K, input: EngineInput<K>): Promise<EngineOutput<K>> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new EngineCallError('unavailable', 'The engine is restarting; try again in a moment.');
    const id = this.nextId++;
    const timeoutMs = this.options.callTimeoutMs ?? 30_000;
    return new Promise<EngineOutput<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new EngineCallError('unavailable', `The engine did not answer ${type} within ${timeoutMs} ms.`),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve, reject, timer });
      this.post({ kind: 'request', id, type, input });
    });
  }

  /** Ends the worker abruptly, as a crash would (tests; a stuck engine). It is restarted. */
  async kill(): Promise<void> {
    const worker = this.worker;
    if (worker) await worker.terminate();
  }

  /** Asks the worker to stop its runs cleanly, then ends it. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        worker.once('exit', () => resolve());
        worker.on('message', (message: FromWorker) => {
          if (message.kind === 'stopped') {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      this.post({ kind: 'stop' });
      await stopped;
      await worker.terminate();
    }
    this.failAll('unavailable', 'The engine was closed.');
  }

  private spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = startEngineWorker();
      this.worker = worker;
      let started = false;
      worker.on('message', (message: FromWorker) => {
        if (message.kind === 'ready') {
          started = true;
          this.backoff = null;
          this.options.publish({ type: 'engine.status', state: 'running', activeRuns: 0, queuedRuns: 0 });
          resolve();
        } else if (message.kind === 'fatal' && !started) {
          // A worker that could not start is ended; its exit schedules a fresh try with backoff.
          this.options.log?.(`engine worker could not start: ${message.error.message}`);
          reject(new EngineCallError(message.error.code, message.error.message));
          void worker.terminate();
        } else {
          this.onMessage(message);
        }
      });
      worker.on('error', (error: Error) => this.options.log?.(`engine worker error: ${error.message}`));
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        this.failAll('unavailable', `The engine stopped (exit code ${code}); it restarts on its own.`);
        if (!started)
          reject(new EngineCallError('unavailable', `The engine worker exited during start (code ${code}).`));
        this.ready = null;
        if (!this.closed) this.scheduleRestart();
      });
      this.post({ kind: 'init', dataDir: this.options.dataDir });
    });
  }

  private scheduleRestart(): void {
    this.backoff =
      this.backoff === null
        ? new ExponentialBackoff({
            initialDelay: this.options.restartDelayMs ?? 200,
            maxDelay: 30_000,
            // One worker, not a crowd of clients: no jitter needed to spread the restarts.
            generator: noJitterGenerator,
          }).next()
        : this.backoff.next(undefined);
    const delay = this.backoff.duration;
    this.options.publish({ type: 'engine.status', state: 'restarting', activeRuns: 0, queuedRuns: 0 });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.closed)
        this.start().catch((error: unknown) => this.options.log?.(`engine restart failed: ${String(error)}`));
    }, delay);
    this.restartTimer.unref();
  }

  private onMessage(message: FromWorker): void {
    switch (message.kind) {
      case 'response': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new EngineCallError(message.error.code, message.error.message));
        return;
      }
      case 'event':
        this.options.publish(message.event);
        return;
      case 'audit':
        this.options.onAudit?.(message.entries);
        return;
      case 'log':
        this.options.log?.(message.message);
        return;
      case 'secret-request':
        void this.answerSecret(message.id, message.connectionId);
        return;
      default:
        return;
    }
  }

  private async answerSecret(id: number, connectionId: string): Promise<void> {
    let reply: ToWorker;
    try {
      reply = {
        kind: 'secret-reply',
        id,
        secret: await this.options.secrets.read(connectionId),
        error: null,
      };
    } catch (error) {
      const failure: EngineFailure = {
        code: 'keychain-unavailable',
        message: error instanceof Error ? error.message : String(error),
      };
      reply = { kind: 'secret-reply', id, secret: null, error: failure };
    }
    this.post(reply);
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private failAll(code: string, message: string): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new EngineCallError(code, message));
    }
    this.pending.clear();
  }
}
