import type Database from 'better-sqlite3';
import { flowAutoRetrySchema } from '../../../shared/domain/flow.js';
import type { AutoRetryPolicy } from './retry-policy.js';

/**
 * Each flow's automatic-retry policy: its own `autoRetry` (stored in its definition) or the engine's
 * default. Read with one indexed query per call, because the recorder asks inside the batch
 * transaction for every transient failure and a flow may be edited between two batches.
 */
export function flowRetryPolicies(
  db: Database.Database,
  fallback: AutoRetryPolicy,
): (flowId: string) => AutoRetryPolicy {
  const query = db.prepare<[string], { policy: string | null }>(
    "SELECT json_extract(definition, '$.autoRetry') AS policy FROM flows WHERE id = ?",
  );
  return (flowId) => {
    const stored = query.get(flowId)?.policy ?? null;
    if (stored === null) return fallback;
    try {
      const parsed = flowAutoRetrySchema.safeParse(JSON.parse(stored));
      return parsed.success ? parsed.data : fallback;
    } catch {
      return fallback;
    }
  };
}
