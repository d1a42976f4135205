/**
 * What the console knows about a connection's stored credentials beyond "set / last changed": when
 * the key expires (Odoo 19 API keys do, a non-administrator's within a day by default), and whether
 * the peer refused them during a run. Never the secret itself.
 */
export interface CredentialStatus {
  /** ISO 8601 UTC, 'never', or null when unknown (not tested since the secret was set). */
  readonly keyExpiresAt: string | null;
  readonly keyName: string | null;
  /** When Test connection last read the key's expiry. */
  readonly keyCheckedAt: string | null;
  /** The peer refused the login or the user's rights during a run: scheduled runs wait until this clears. */
  readonly refused: { readonly at: string; readonly code: string; readonly message: string } | null;
}

export const UNKNOWN_CREDENTIALS: CredentialStatus = {
  keyExpiresAt: null,
  keyName: null,
  keyCheckedAt: null,
  refused: null,
};

/** Below this many days left, the console warns about an expiring key. */
export const KEY_EXPIRY_WARNING_DAYS = 14;

export interface CredentialNotice {
  readonly tone: 'ok' | 'warning' | 'error';
  /** Short, for a table cell: "expires in 3 days", "expired", "refused". */
  readonly text: string;
  /** One sentence saying what it means and what to do. */
  readonly detail: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "expires in 3 days" / "expires in 5 hours": whole units left, rounded down. */
export function expiresIn(expiresAtMs: number, nowMs: number): string {
  const left = expiresAtMs - nowMs;
  if (left >= DAY_MS) return `expires in ${plural(Math.floor(left / DAY_MS), 'day')}`;
  if (left >= HOUR_MS) return `expires in ${plural(Math.floor(left / HOUR_MS), 'hour')}`;
  return `expires in ${plural(Math.max(0, Math.floor(left / 60_000)), 'minute')}`;
}

/**
 * What to show about a connection's credentials, or null when there is nothing to say (no key
 * expiry known and nothing refused). A refusal outranks the expiry: the key no longer works.
 */
export function describeCredentials(status: CredentialStatus, now: Date): CredentialNotice | null {
  if (status.refused !== null) {
    return {
      tone: 'error',
      text: 'refused',
      detail: `${status.refused.message} Scheduled runs of the flows that use this connection wait until the secret is replaced or Test connection passes.`,
    };
  }
  const expiresAt = status.keyExpiresAt;
  if (expiresAt === null) return null;
  const key = status.keyName === null ? 'The API key' : `The API key '${status.keyName}'`;
  if (expiresAt === 'never') return { tone: 'ok', text: 'never expires', detail: `${key} does not expire.` };
  const expiresAtMs = Date.parse(expiresAt);
  if (Number.isNaN(expiresAtMs)) return null;
  const day = expiresAt.slice(0, 10);
  if (expiresAtMs <= now.getTime()) {
    return {
      tone: 'error',
      text: 'expired',
      detail: `${key} expired on ${day}: create a new one in Odoo and save it here.`,
    };
  }
  const text = expiresIn(expiresAtMs, now.getTime());
  if (expiresAtMs - now.getTime() < KEY_EXPIRY_WARNING_DAYS * DAY_MS) {
    return {
      tone: 'warning',
      text,
      detail: `${key} ${text} (${day}): create a new one in Odoo and save it here before then.`,
    };
  }
  return { tone: 'ok', text, detail: `${key} ${text} (${day}).` };
}
