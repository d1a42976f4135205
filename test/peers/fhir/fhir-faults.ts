/**
 * Fault injection for the FHIR emulator. Deterministic switches for tests (fail the next n requests,
 * break the next n follow-up pages, an outage window) plus a seeded random error rate for the demo.
 */
export type PageBreak = 'truncated-json' | 'not-a-bundle';

export interface FaultDecision {
  readonly latencyMs: number;
  readonly fail: { readonly status: number; readonly retryAfterSeconds: number | null } | null;
}

export class FhirFaults {
  /** Added to every response (ms). */
  latencyMs = 0;
  /** Probability (0..1) that a request fails with 503, drawn from a seeded generator. */
  errorRate = 0;
  private failures: { status: number; retryAfterSeconds: number | null }[] = [];
  private pageBreaks: PageBreak[] = [];
  private outageWindow: { fromMs: number; untilMs: number } | null = null;
  private randomState: number;

  constructor(
    private readonly now: () => number,
    seed = 42,
  ) {
    this.randomState = seed >>> 0;
  }

  /** The next `count` requests answer `status` with an OperationOutcome. */
  failNext(count: number, status = 503, retryAfterSeconds: number | null = null): void {
    for (let index = 0; index < count; index += 1) this.failures.push({ status, retryAfterSeconds });
  }

  /** The next `count` search pages reached through a next link come back broken. */
  breakNextPages(count: number, kind: PageBreak = 'truncated-json'): void {
    for (let index = 0; index < count; index += 1) this.pageBreaks.push(kind);
  }

  /** Every request in [fromMs, untilMs) answers 503 with Retry-After until the window ends. */
  outage(fromMs: number, untilMs: number): void {
    this.outageWindow = { fromMs, untilMs };
  }

  /** An outage starting now and lasting `ms`. */
  outageFor(ms: number): void {
    const now = this.now();
    this.outage(now, now + ms);
  }

  reset(): void {
    this.latencyMs = 0;
    this.errorRate = 0;
    this.failures = [];
    this.pageBreaks = [];
    this.outageWindow = null;
  }

  /** Called once per request, before it is handled. */
  decide(): FaultDecision {
    const now = this.now();
    const window = this.outageWindow;
    if (window !== null && now >= window.fromMs && now < window.untilMs) {
      return {
        latencyMs: this.latencyMs,
        fail: { status: 503, retryAfterSeconds: Math.max(1, Math.ceil((window.untilMs - now) / 1000)) },
      };
    }
    const queued = this.failures.shift();
    if (queued !== undefined) return { latencyMs: this.latencyMs, fail: queued };
    if (this.errorRate > 0 && this.random() < this.errorRate) {
      return { latencyMs: this.latencyMs, fail: { status: 503, retryAfterSeconds: null } };
    }
    return { latencyMs: this.latencyMs, fail: null };
  }

  /** Called for a follow-up search page: how to break it, or null to serve it whole. */
  takePageBreak(): PageBreak | null {
    return this.pageBreaks.shift() ?? null;
  }

  // mulberry32: small, seeded, good enough to make the demo's random failures repeatable.
  private random(): number {
    this.randomState = (this.randomState + 0x6d2b79f5) >>> 0;
    let t = this.randomState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
