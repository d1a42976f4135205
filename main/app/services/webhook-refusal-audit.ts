import { RefusalCoalescer, type CoalescedRefusal } from '../../audit/refusal-coalescer.js';
import type { RejectedNotice } from '../../connectors/webhook/webhook-listener.js';
import type { AuditAppend } from '../../store/types.js';

/** The audit action of every request an inbound webhook listener refuses. */
export const WEBHOOK_REFUSED_ACTION = 'webhook.refused';

/** Refusals that say "you may not" (authentication) rather than "this request is broken or early". */
const DENIALS: ReadonlySet<string> = new Set(['bad-signature', 'bad-token', 'stale-timestamp']);

/** Stands in for a path that names no valid source (the partner's text is never kept). */
const NO_SOURCE = '(no source)';

export interface WebhookRefusalAudit {
  note(listenerKey: string, notice: RejectedNotice): void;
  /** Writes every open window's count now (the listeners are stopping). */
  flush(): void;
}

function row(refusal: CoalescedRefusal): AuditAppend {
  return {
    actor: 'anonymous',
    action: WEBHOOK_REFUSED_ACTION,
    target: refusal.path,
    outcome: refusal.outcome,
    detail: {
      reason: refusal.reason,
      status: refusal.status,
      // Absent on a row that stands for many remotes (and possibly many listeners) at once.
      ...(refusal.labels?.['listener'] === undefined ? {} : { listener: refusal.labels['listener'] }),
      via: `webhook:${refusal.remote}`,
      count: refusal.count,
      ...(refusal.repeated ? { repeated: true } : {}),
    },
  };
}

/**
 * Audits every refusal of the inbound webhook listeners (unknown source, bad signature, stale
 * timestamp, rate limit, body too large, …) as `webhook.refused` rows, coalesced like the headless
 * server's `http.refused` rows (main/audit/refusal-coalescer.ts): the first refusal of a (reason,
 * remote, listener + source) key is written at once, identical ones within the window as one count,
 * so a flood writes a bounded number of rows. A row holds the reason code, status, the source name
 * (only as the listener parsed it: [a-z0-9-], never free text), the listener's address and the
 * remote address; never the body, the signature or any header value.
 */
export function webhookRefusalAudit(options: {
  readonly append: (entry: AuditAppend) => void;
  readonly windowMs?: number | undefined;
  readonly maxWindows?: number | undefined;
}): WebhookRefusalAudit {
  const coalescer = new RefusalCoalescer({
    windowMs: options.windowMs ?? 60_000,
    maxWindows: options.maxWindows ?? 256,
    write: (refusal) => options.append(row(refusal)),
  });
  return {
    note(listenerKey, notice) {
      const source = notice.sourceName ?? NO_SOURCE;
      coalescer.note({
        reason: notice.code,
        outcome: DENIALS.has(notice.code) ? 'denied' : 'error',
        status: notice.status,
        method: 'POST',
        path: source,
        remote: notice.remoteAddress ?? 'unknown',
        operator: null,
        labels: { listener: listenerKey, source },
      });
    },
    flush: () => coalescer.flush(),
  };
}
