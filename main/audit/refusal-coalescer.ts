/** One refusal as the audit log sees it: never a body, a cookie, a token or a header value. */
export interface Refusal {
  readonly reason: string;
  readonly outcome: 'denied' | 'error';
  readonly status: number;
  readonly method: string;
  /** The path only: the query string can carry anything and is never kept. */
  readonly path: string;
  readonly remote: string;
  /** The operator behind a valid session cookie, or null. */
  readonly operator: string | null;
  /**
   * What else tells refusals apart and goes into the row (the webhook listener: its bound address
   * and the source named); absent for the console's own HTTP layer. Dropped, like the remote, once
   * `maxWindows` are open.
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What gets written: the refusal, and how many identical ones it stands for. */
export interface CoalescedRefusal extends Refusal {
  readonly count: number;
  /** True for the row that closes a window: `count` more refusals like the window's first one. */
  readonly repeated: boolean;
}

export interface RefusalCoalescerOptions {
  readonly windowMs: number;
  /** Distinct (reason, remote, operator) windows open at once; more share one window per reason. */
  readonly maxWindows: number;
  readonly write: (row: CoalescedRefusal) => void;
}

interface Window {
  readonly first: Refusal;
  repeats: number;
  readonly timer: NodeJS.Timeout;
}

/** Stands in for the remote of refusals beyond `maxWindows`: many addresses at once. */
export const MANY_REMOTES = '(many addresses)';

/**
 * Keeps refusals from flooding the audit log (the headless server's HTTP layer and the inbound
 * webhook listeners both use it). The first refusal of a (reason, remote address, operator, labels)
 * key is written at once, so a single refusal is on record immediately; identical ones in the next
 * `windowMs` are only counted, and the count is written as one `repeated` row when the
 * window closes (or at flush, when the server stops). The path is not part of the key, so varying it
 * does not open new windows. Once `maxWindows` are open, further keys share one window per
 * reason with the remote recorded as MANY_REMOTES: whatever the traffic, at most two rows per window
 * and per open key are written every `windowMs`.
 */
export class RefusalCoalescer {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: RefusalCoalescerOptions) {}

  note(refusal: Refusal): void {
    const labels = Object.entries(refusal.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
    let key = [refusal.reason, refusal.remote, refusal.operator ?? '', JSON.stringify(labels)].join('\u0000');
    let noted = refusal;
    if (!this.windows.has(key) && this.windows.size >= this.options.maxWindows) {
      key = [refusal.reason, MANY_REMOTES].join('\u0000');
      const { labels: _dropped, ...rest } = refusal;
      noted = { ...rest, remote: MANY_REMOTES, operator: null };
    }
    const open = this.windows.get(key);
    if (open) {
      open.repeats += 1;
      return;
    }
    const timer = setTimeout(() => this.close(key), this.options.windowMs);
    // An open window must not keep the process alive; flush() writes what is left at shutdown.
    timer.unref();
    this.windows.set(key, { first: noted, repeats: 0, timer });
    this.options.write({ ...noted, count: 1, repeated: false });
  }

  /** Writes every open window's count now (the server is stopping). */
  flush(): void {
    for (const key of [...this.windows.keys()]) this.close(key);
  }

  private close(key: string): void {
    const window = this.windows.get(key);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(key);
    if (window.repeats > 0) this.options.write({ ...window.first, count: window.repeats, repeated: true });
  }
}
