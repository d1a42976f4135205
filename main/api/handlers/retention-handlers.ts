import { ApiFailure } from '../../../shared/contract/result.js';
import {
  readPayloadRetentionDays,
  writePayloadRetentionDays,
} from '../../store/retention/retention-settings.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type RetentionHandlers = {
  readonly 'retention.settings': Handler<'retention.settings'>;
  readonly 'retention.setPayloadDays': Handler<'retention.setPayloadDays'>;
  readonly 'retention.pruneNow': Handler<'retention.pruneNow'>;
};

/**
 * Payload retention for administrators (issue 13, item 2). The dispatcher audits each call; a prune
 * also writes its own `store.payloads-pruned` row (what, how many, older than when) under the
 * administrator's name, announced live like any audit row.
 */
export function retentionHandlers(services: Services): RetentionHandlers {
  const { store } = services;
  return {
    'retention.settings': () => ({ payloadDays: readPayloadRetentionDays(store.db) }),

    'retention.setPayloadDays': (input, call) => {
      const before = readPayloadRetentionDays(store.db);
      writePayloadRetentionDays(store.db, input.payloadDays);
      call.audit.target = 'retention.payload-days';
      call.audit.detail = { from: before, to: input.payloadDays };
      return { payloadDays: input.payloadDays };
    },

    'retention.pruneNow': async (input, call) => {
      const days = input.olderThanDays ?? readPayloadRetentionDays(store.db);
      if (days === null) {
        throw new ApiFailure(
          'invalid-input',
          'No retention age is configured: set one, or give the age to prune now (olderThanDays).',
        );
      }
      // In the store worker: a pass rewrites payloads in batches for seconds on a large store.
      const run = await services.heavy.prunePayloads({
        days,
        actor: call.operator?.username ?? 'unknown',
        now: new Date().toISOString(),
      });
      services.events.publish({ type: 'audit.appended', entry: run.entry });
      const rows = Object.fromEntries(Object.entries(run.counts).map(([table, { rows: n }]) => [table, n]));
      call.audit.target = 'payloads';
      call.audit.detail = { olderThanDays: days, payloads: run.payloads };
      return { olderThanDays: days, olderThan: run.olderThan, payloads: run.payloads, rows };
    },
  };
}
