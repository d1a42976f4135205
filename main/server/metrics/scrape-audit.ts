import type { AuditAppend } from '../../store/types.js';

/** The audit action of a successful /metrics scrape. */
export const METRICS_SCRAPE_ACTION = 'metrics.scrape';

export interface ScrapeAuditOptions {
  /** How long repeated scrapes by the same operator from the same address are only counted. */
  readonly windowMs: number;
  /** Distinct (operator, address) windows kept at once; beyond it the oldest is written and closed. */
  readonly maxWindows: number;
  readonly write: (row: AuditAppend) => void;
}

interface Window {
  readonly operator: string;
  readonly remote: string;
  repeats: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * Reads through the dispatcher are audited one row per call; a Prometheus server scraping every 15 s
 * would write 5,760 rows a day that way and bury everything else. So a scrape is audited like the
 * HTTP layer's refusals: the first scrape of an (operator, address) is written at once (who started
 * reading metrics, from where), the next ones within `windowMs` are only counted, and the count is
 * written as one row when the window closes or the server stops. A steady scraper costs 24 rows a day
 * with an hour's window, and no scrape goes unrecorded.
 */
export class ScrapeAudit {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: ScrapeAuditOptions) {}

  note(operator: string, remote: string): void {
    const key = `${operator}\u0000${remote}`;
    const open = this.windows.get(key);
    if (open) {
      open.repeats += 1;
      return;
    }
    if (this.windows.size >= this.options.maxWindows) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.close(oldest);
    }
    const timer = setTimeout(() => this.close(key), this.options.windowMs);
    // An open window must not keep the process alive; flush() writes what is left at shutdown.
    timer.unref();
    this.windows.set(key, { operator, remote, repeats: 0, timer });
    this.options.write(this.row(operator, remote, 1, false));
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
    if (window.repeats > 0)
      this.options.write(this.row(window.operator, window.remote, window.repeats, true));
  }

  private row(operator: string, remote: string, scrapes: number, repeated: boolean): AuditAppend {
    return {
      actor: operator,
      action: METRICS_SCRAPE_ACTION,
      target: '/metrics',
      outcome: 'ok',
      detail: { via: `http:${remote}`, scrapes, ...(repeated ? { repeated: true } : {}) },
    };
  }
}
