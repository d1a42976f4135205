import { operations } from '../../../shared/contract/operations.js';
import { rolesAllow } from '../../../shared/contract/roles.js';
import type { Operator } from '../../../shared/domain/operator.js';
import type { SessionRegistry } from '../../auth/session-registry.js';
import { metricsText } from './metric-families.js';
import type { MetricsReader } from './metrics-snapshot.js';

/** Metrics reveal what run history does (counts, statuses, names), so whoever may list runs may scrape. */
const SAME_ACCESS_AS = 'runs.list';

export type MetricsScrape =
  | { readonly ok: true; readonly operator: string; readonly text: string }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly code: 'unauthenticated' | 'session-locked' | 'forbidden';
      readonly message: string;
    };

export interface MetricsAccessDeps {
  readonly sessions: SessionRegistry;
  readonly operators: { get(username: string): Operator | null };
  readonly reader: MetricsReader;
}

/**
 * One scrape for the session behind a cookie, authorized as the dispatcher authorizes `runs.list`:
 * a live, unlocked session of an enabled operator whose roles the contract allows. A scrape counts as
 * activity like any authorized call, so a scraper's own session does not lock while it scrapes (it
 * still ends at the session's maximum age).
 */
export function scrapeMetrics(deps: MetricsAccessDeps, sessionId: string | null): MetricsScrape {
  const lookup = deps.sessions.lookup(sessionId);
  const operator = lookup.kind === 'none' ? null : deps.operators.get(lookup.session.username);
  if (lookup.kind === 'none' || !operator || operator.disabled) {
    return { ok: false, status: 401, code: 'unauthenticated', message: 'Sign in first.' };
  }
  if (lookup.kind === 'locked') {
    return {
      ok: false,
      status: 401,
      code: 'session-locked',
      message: 'Your session is locked: enter your password.',
    };
  }
  if (!rolesAllow(operations[SAME_ACCESS_AS].access, operator.roles)) {
    return { ok: false, status: 403, code: 'forbidden', message: 'Your role does not allow this.' };
  }
  deps.sessions.touch(lookup.session);
  return { ok: true, operator: operator.username, text: metricsText(deps.reader.read()) };
}
