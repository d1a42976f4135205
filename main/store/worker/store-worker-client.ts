import type { Worker } from 'node:worker_threads';
import type { AuditVerification } from '../../../shared/domain/audit.js';
import type { IntegrityMode, IntegrityReport } from '../integrity/integrity-check.js';
import type { AuditFilter, BackupResult } from '../types.js';
import type { AuditPeriodSummary } from '../audit/audit-period-summary.js';
import type { PayloadRetentionRun } from '../retention/payload-retention.js';
import type { PayloadRetentionRequest } from '../retention/payload-retention-at.js';
import { startStoreWorker } from './store-worker-entry.js';
import type {
  StoreWorkerInput,
  StoreWorkerOutput,
  StoreWorkerRequest,
  StoreWorkerMessage,
  StoreWorkerRequestType,
  StoreWorkerResponse,
} from './store-worker-protocol.js';
import { isStoreWorkerProgress } from './store-worker-protocol.js';

/** Rows done of total, for a request that reports progress (verifyAudit). */
export type OnStoreWorkerProgress = (done: number, total: number) => void;

/** A failed worker call: the worker's own error code and message (never its stack). */
export class StoreWorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreWorkerError';
  }
}

export interface StoreWorkerClientOptions {
  /**
   * A call that takes longer ends the worker (a stuck job cannot be interrupted any other way) and
   * fails every call in flight; the next call starts a fresh worker. Walking millions of audit rows
   * takes seconds, so the default is generous.
   */
  readonly callTimeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: StoreWorkerError): void;
  timer: NodeJS.Timeout;
  onProgress: OnStoreWorkerProgress | undefined;
}

const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;

/**
 * Talks to one store worker thread: typed requests, each answered by id. The worker starts on the
 * first call and is restarted after it dies; it does not keep the process alive while idle.
 */
export class StoreWorkerClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly callTimeoutMs: number;

  constructor(options: StoreWorkerClientOptions = {}) {
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  verifyAudit(dataDir: string, onProgress?: OnStoreWorkerProgress): Promise<AuditVerification> {
    return this.call('verifyAudit', { dataDir }, onProgress);
  }

  backup(dataDir: string, reason: string): Promise<BackupResult> {
    return this.call('backup', { dataDir, reason });
  }

  /** SQLite's integrity_check (or quick_check) on the worker's own connection: never on the serving thread. */
  checkIntegrity(dataDir: string, mode: IntegrityMode): Promise<IntegrityReport> {
    return this.call('checkIntegrity', { dataDir, mode });
  }

  /** A payload retention pass (rewrites payloads in batches) on the worker's own connection. */
  prunePayloads(dataDir: string, request: PayloadRetentionRequest): Promise<PayloadRetentionRun> {
    return this.call('prunePayloads', { dataDir, ...request });
  }

  /** The printable audit report's counts and first rows for a period, on the worker's own connection. */
  auditSummary(dataDir: string, filter: AuditFilter, maxRows: number): Promise<AuditPeriodSummary> {
    return this.call('auditSummary', { dataDir, filter, maxRows });
  }

  call<K extends StoreWorkerRequestType>(
    type: K,
    input: StoreWorkerInput<K>,
    onProgress?: OnStoreWorkerProgress,
  ): Promise<StoreWorkerOutput<K>> {
    if (this.closed)
      return Promise.reject(new StoreWorkerError('worker-closed', 'The store worker was closed.'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<StoreWorkerOutput<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(
          'worker-timeout',
          `The store worker did not answer ${type} within ${this.callTimeoutMs} ms.`,
        );
        void worker.terminate();
      }, this.callTimeoutMs);
      // The worker answers `type` with that type's output; the map below is keyed by id only.
      this.pending.set(id, { resolve, reject, timer, onProgress });
      worker.ref();
      // K is one member of the union; TypeScript cannot narrow a generic to it.
      const request: StoreWorkerRequest = { id, type, input } as StoreWorkerRequest;
      worker.postMessage(request);
    });
  }

  /** Ends the worker; calls still in flight fail with `worker-closed`. */
  async close(): Promise<void> {
    this.closed = true;
    this.failAll('worker-closed', 'The store worker was closed.');
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startStoreWorker();
    worker.on('message', (message: StoreWorkerMessage) => {
      if (isStoreWorkerProgress(message)) this.progress(message.id, message.progress);
      else this.settle(message);
    });
    worker.on('error', (error: Error) => {
      this.failAll('worker-crashed', `The store worker failed: ${error.message}`);
    });
    worker.on('exit', (exitCode) => {
      if (this.worker === worker) this.worker = null;
      this.failAll('worker-exited', `The store worker stopped (exit code ${exitCode}).`);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private progress(id: number, progress: { done: number; total: number }): void {
    const onProgress = this.pending.get(id)?.onProgress;
    if (onProgress === undefined) return;
    try {
      onProgress(progress.done, progress.total);
    } catch {
      // A listener's failure must not fail the walk it is watching.
    }
  }

  private settle(response: StoreWorkerResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return; // answered after a timeout or close: nobody is waiting any more
    this.pending.delete(response.id);
    clearTimeout(pending.timer);
    if (this.pending.size === 0) this.worker?.unref();
    if (response.ok) pending.resolve(response.value);
    else pending.reject(new StoreWorkerError(response.error.code, response.error.message));
  }

  private failAll(code: string, message: string): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new StoreWorkerError(code, message));
    }
    this.pending.clear();
  }
}

/** One job on a fresh worker, closed afterwards: for one-shot callers such as a CLI command. */
export async function runInStoreWorker<K extends StoreWorkerRequestType>(
  type: K,
  input: StoreWorkerInput<K>,
  options: StoreWorkerClientOptions = {},
): Promise<StoreWorkerOutput<K>> {
  const client = new StoreWorkerClient(options);
  try {
    return await client.call(type, input);
  } finally {
    await client.close();
  }
}
