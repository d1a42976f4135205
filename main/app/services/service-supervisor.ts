import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { ServiceState, ServiceStatus } from '../../../shared/contract/ops/service-ops.js';

/**
 * The long-lived services of one core (engine, webhook listener, CSV drop watchers, outbound
 * delivery resume, …), each with an explicit start, stop and health. A service that fails to start
 * or dies later is started again after a cockatiel exponential backoff; its state, since when, and
 * its last error are what `services.status` shows the console.
 */
export interface ServiceHandle {
  stop(): Promise<void> | void;
  /** A short line for the console (an address, a count); never a secret. */
  detail?(): string | null;
}

export interface ServiceContext {
  /** The running service died: the supervisor stops it and starts it again with backoff. */
  died(error: unknown): void;
  /** A service that supervises itself (the engine worker) reports its own state changes. */
  report(state: ServiceState, error?: unknown): void;
}

export interface ServiceDefinition {
  readonly name: string;
  readonly label: string;
  start(context: ServiceContext): Promise<ServiceHandle>;
}

export interface SupervisorOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Consecutive failures after which a service shows as failed (it is still retried at the backoff). */
  readonly failedAfter?: number;
  readonly onError?: (service: string, message: string) => void;
  /** Every change of a service's state or last error, for the console's live view. */
  readonly onChange?: (status: ServiceStatus) => void;
  readonly now?: () => number;
}

interface Entry {
  readonly definition: ServiceDefinition;
  state: ServiceState;
  since: number;
  lastError: string | null;
  lastErrorAt: number | null;
  restarts: number;
  /** Failures since it last started well. */
  failures: number;
  handle: ServiceHandle | null;
  backoff: IBackoff<unknown> | null;
  timer: NodeJS.Timeout | null;
  /** Bumped on every start, so a late `died` from an earlier incarnation is ignored. */
  generation: number;
}

export class ServiceSupervisor {
  private readonly entries = new Map<string, Entry>();
  private readonly factory: ExponentialBackoff<unknown>;
  private readonly now: () => number;
  private closed = false;
  private started = false;

  constructor(private readonly options: SupervisorOptions = {}) {
    this.factory = new ExponentialBackoff({
      initialDelay: options.initialDelayMs ?? 500,
      maxDelay: options.maxDelayMs ?? 60_000,
    });
    this.now = options.now ?? Date.now;
  }

  register(definition: ServiceDefinition): void {
    if (this.entries.has(definition.name)) throw new Error(`service ${definition.name} is registered twice`);
    this.entries.set(definition.name, {
      definition,
      state: 'stopped',
      since: this.now(),
      lastError: null,
      lastErrorAt: null,
      restarts: 0,
      failures: 0,
      handle: null,
      backoff: null,
      timer: null,
      generation: 0,
    });
  }

  /** Starts every registered service; a failing one does not hold the others back. */
  startAll(): void {
    this.started = true;
    for (const entry of this.entries.values()) void this.start(entry);
  }

  /**
   * A service that comes and goes while the console runs (a webhook listener for an address a
   * connection started using): registered, and started at once if the others already run.
   */
  add(definition: ServiceDefinition): void {
    this.register(definition);
    const entry = this.entries.get(definition.name);
    if (entry !== undefined && this.started && !this.closed) void this.start(entry);
  }

  /** Stops a service added with add() and forgets it (its last entry leaves services.status). */
  async remove(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (entry === undefined) return;
    this.entries.delete(name);
    await this.stopEntry(entry, 'stopped');
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  status(): ServiceStatus[] {
    return [...this.entries.values()].map((entry) => this.statusOf(entry));
  }

  private statusOf(entry: Entry): ServiceStatus {
    return {
      name: entry.definition.name,
      label: entry.definition.label,
      state: entry.state,
      since: new Date(entry.since).toISOString(),
      restarts: entry.restarts,
      lastError: entry.lastError,
      lastErrorAt: entry.lastErrorAt === null ? null : new Date(entry.lastErrorAt).toISOString(),
      detail: safeDetail(entry.handle),
    };
  }

  async stopAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.entries.values()].map((entry) => this.stopEntry(entry, 'stopped')));
  }

  private setState(entry: Entry, state: ServiceState): void {
    if (entry.state === state) return;
    entry.state = state;
    entry.since = this.now();
    this.options.onChange?.(this.statusOf(entry));
  }

  private recordError(entry: Entry, error: unknown): void {
    entry.lastError = errorText(error);
    entry.lastErrorAt = this.now();
    this.options.onError?.(entry.definition.name, entry.lastError);
  }

  private async start(entry: Entry): Promise<void> {
    if (this.closed) return;
    entry.generation += 1;
    const generation = entry.generation;
    this.setState(entry, 'starting');
    const context: ServiceContext = {
      died: (error) => {
        if (generation !== entry.generation || this.closed) return;
        this.recordError(entry, error);
        void this.stopEntry(entry, 'restarting').then(() => this.scheduleRestart(entry));
      },
      report: (state, error) => {
        if (generation !== entry.generation || this.closed) return;
        if (error !== undefined) this.recordError(entry, error);
        if (state === 'restarting' && entry.state !== 'restarting') entry.restarts += 1;
        this.setState(entry, state);
      },
    };
    try {
      const handle = await entry.definition.start(context);
      // Stopped (stopAll bumps the generation) or superseded while it was starting.
      if (generation !== entry.generation) {
        await handle.stop();
        return;
      }
      entry.handle = handle;
      entry.backoff = null;
      entry.failures = 0;
      if (entry.state === 'starting') this.setState(entry, 'running');
    } catch (error) {
      if (generation !== entry.generation) return;
      this.recordError(entry, error);
      this.scheduleRestart(entry);
    }
  }

  private scheduleRestart(entry: Entry): void {
    if (this.closed) return;
    entry.backoff = entry.backoff === null ? this.factory.next() : entry.backoff.next(undefined);
    entry.restarts += 1;
    entry.failures += 1;
    this.setState(entry, entry.failures >= (this.options.failedAfter ?? 5) ? 'failed' : 'restarting');
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void this.start(entry);
    }, entry.backoff.duration);
    entry.timer.unref();
  }

  private async stopEntry(entry: Entry, next: ServiceState): Promise<void> {
    entry.generation += 1;
    if (entry.timer !== null) clearTimeout(entry.timer);
    entry.timer = null;
    const handle = entry.handle;
    entry.handle = null;
    this.setState(entry, next);
    if (handle === null) return;
    try {
      await handle.stop();
    } catch (error) {
      this.recordError(entry, error);
    }
  }
}

function safeDetail(handle: ServiceHandle | null): string | null {
  try {
    return handle?.detail?.() ?? null;
  } catch {
    return null;
  }
}

/** An error's message only: no stack, no cause chain, cut short (it is shown to every role). */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
