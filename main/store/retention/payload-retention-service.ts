import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { ServiceDefinition } from '../../app/services/service-supervisor.js';
import { repeatEvery } from '../periodic-job.js';
import type { Store } from '../types.js';
import type { PayloadRetentionRun } from './payload-retention.js';
import type { PayloadRetentionRequest } from './payload-retention-at.js';
import { readPayloadRetentionDays } from './retention-settings.js';

/** Daily, like the integrity check and the scheduled backup. */
export const DEFAULT_RETENTION_INTERVAL_MS = 24 * 60 * 60_000;

export interface PayloadRetentionServiceDeps {
  /** Where the configured age is read. */
  readonly store: Pick<Store, 'db'>;
  /** Runs one pass off the serving thread (the store worker: HeavyStoreWork.prunePayloads). */
  readonly prune: (request: PayloadRetentionRequest) => Promise<PayloadRetentionRun>;
  /** Each pass's audit row, announced live like any other. */
  readonly onPruned: (entry: AuditEntry) => void;
  readonly everyMs?: number;
  readonly now?: () => Date;
}

/**
 * The running console's scheduled payload retention: once per interval, when an administrator
 * configured an age (settings `retention.payload-days`), prunes settled payloads older than it under
 * the actor 'system' and audits the pass. Without a configured age it does nothing: keeping data is
 * the default. A pass that fails (disk full, store busy past its timeout) fails the service, so the
 * Services section says why; the next pass tries again.
 */
export function payloadRetentionService(deps: PayloadRetentionServiceDeps): ServiceDefinition {
  const now = deps.now ?? (() => new Date());
  return {
    name: 'payload-retention',
    label: 'Payload retention',
    start(context) {
      let last: PayloadRetentionRun | null = null;
      const job = repeatEvery<PayloadRetentionRun | null>({
        run: () => {
          const days = readPayloadRetentionDays(deps.store.db);
          if (days === null) return Promise.resolve(null);
          return deps.prune({ days, actor: 'system', now: now().toISOString() });
        },
        everyMs: deps.everyMs ?? DEFAULT_RETENTION_INTERVAL_MS,
        onResult: (run) => {
          if (run === null) return;
          last = run;
          deps.onPruned(run.entry);
        },
        onError: (error) => {
          context.died(
            new Error(`Payload retention failed: ${error instanceof Error ? error.message : String(error)}`),
          );
        },
      });
      return Promise.resolve({
        detail: () => {
          const days = readPayloadRetentionDays(deps.store.db);
          if (days === null) return 'off: payloads are kept (no retention age configured)';
          const pass = last === null ? 'no pass yet this run' : `last pass pruned ${last.payloads} payloads`;
          return `prunes settled payloads older than ${days} days; ${pass}`;
        },
        stop: () => job.stop(),
      });
    },
  };
}
