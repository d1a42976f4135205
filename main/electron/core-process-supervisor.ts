import { parseCoreToHost, type HostToCore } from '../core-process/port-protocol.js';

/**
 * Starts the core process, waits until it says it is ready, restarts it when it dies (a bounded number
 * of times), and passes the main process's few messages on: a window's port, a closed window, the
 * shutdown. Electron-free: electron-main.ts gives it `utilityProcess.fork`, tests a Node worker.
 */
export interface CoreChild<Port> {
  postMessage(message: HostToCore, transfer?: Port[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface CoreSupervisorOptions<Port> {
  fork(): CoreChild<Port>;
  closePort(port: Port): void;
  /** The core died after being ready; windows should fail their calls in flight now. */
  onExit(code: number): void;
  /** A replacement core is ready; windows should ask for new ports. */
  onRestarted(): void;
  /** No core could be kept running: the app must say so and stop. */
  onGaveUp(reason: string): void;
  log(message: string, detail?: string): void;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** More exits than this within `restartWindowMs` and the supervisor gives up. */
  maxRestarts?: number;
  restartWindowMs?: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class CoreProcessSupervisor<Port> {
  readonly #options: CoreSupervisorOptions<Port>;
  #child: CoreChild<Port> | null = null;
  #childExited: Promise<void> = Promise.resolve();
  #ready = false;
  #stopping = false;
  #recentExits: number[] = [];

  constructor(options: CoreSupervisorOptions<Port>) {
    this.#options = options;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Resolves once the core is ready; rejects with the reason it could not start. */
  start(): Promise<void> {
    return this.#launch();
  }

  attachWindow(windowId: number, port: Port): boolean {
    const child = this.#child;
    if (child === null || !this.#ready || this.#stopping) {
      this.#options.closePort(port);
      return false;
    }
    child.postMessage({ type: 'attach-window', windowId }, [port]);
    return true;
  }

  windowClosed(windowId: number): void {
    if (this.#child !== null && this.#ready) this.#child.postMessage({ type: 'window-closed', windowId });
  }

  /** Asks the core to close cleanly (WAL checkpoint, workers stopped); kills it if it does not exit. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (child === null) return;
    const exited = this.#childExited;
    child.postMessage({ type: 'shutdown' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#options.stopTimeoutMs ?? 15_000);
    });
    const outcome = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#options.log('the core process did not close in time; killing it');
      child.kill();
      await exited;
    }
  }

  #launch(): Promise<void> {
    const child = this.#options.fork();
    this.#child = child;
    this.#ready = false;
    this.#childExited = new Promise((resolve) => child.on('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const timeoutMs = this.#options.readyTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        finish(new Error(`The console's background process did not start within ${timeoutMs / 1000} s.`));
        child.kill();
      }, timeoutMs);
      child.on('message', (raw) => {
        const message = parseCoreToHost(raw);
        if (message?.type === 'ready' && this.#child === child && !settled) {
          this.#ready = true;
          finish();
        } else if (message?.type === 'start-failed') {
          finish(new Error(message.message));
        }
      });
      child.on('exit', (code) => {
        finish(new Error(`The console's background process exited (code ${code}) while starting.`));
        this.#exited(child, code);
      });
    });
  }

  #exited(child: CoreChild<Port>, code: number): void {
    if (this.#child !== child) return;
    const wasReady = this.#ready;
    this.#child = null;
    this.#ready = false;
    // Dying before 'ready' is reported by #launch's promise to whoever launched it.
    if (this.#stopping || !wasReady) return;
    this.#options.log('the core process exited', `code ${code}`);
    this.#options.onExit(code);
    void this.#restart();
  }

  async #restart(): Promise<void> {
    const now = Date.now();
    const window = this.#options.restartWindowMs ?? 60_000;
    this.#recentExits = [...this.#recentExits.filter((at) => now - at < window), now];
    const maxRestarts = this.#options.maxRestarts ?? 3;
    if (this.#recentExits.length > maxRestarts) {
      this.#options.onGaveUp(
        `The console's background process stopped ${this.#recentExits.length} times in ${window / 1000} s.`,
      );
      return;
    }
    try {
      await this.#launch();
    } catch (error) {
      if (this.#stopping) return;
      this.#options.onGaveUp(`The console's background process could not be restarted: ${describe(error)}`);
      return;
    }
    this.#options.log('the core process was restarted');
    this.#options.onRestarted();
  }
}
