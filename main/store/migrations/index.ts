import type { Migration } from './migration.js';
import { migration001Foundation } from './001-foundation.js';
import { migration002PartnerIntake } from './002-partner-intake.js';
import { migration003Engine } from './003-engine.js';
import { migration004TargetCalls } from './004-target-calls.js';
import { migration005ConnectionCredentials } from './005-connection-credentials.js';
import { migration006Exceptions } from './006-exceptions.js';
import { migration007ExceptionReplays } from './007-exception-replays.js';
import { migration008ExceptionFixes } from './008-exception-fixes.js';
import { migration009ExceptionsSearch } from './009-exceptions-search.js';
import { migration010ConnectionBreakers } from './010-connection-breakers.js';
import { migration011Outbox } from './011-outbox.js';
import { migration012FallbackEntries } from './012-fallback-entries.js';
import { migration013AnomalyHolds } from './013-anomaly-holds.js';
import { migration014Reconciliation } from './014-reconciliation.js';
import { migration015ShadowRuns } from './015-shadow-runs.js';
import { migration016AuditCheckpoints } from './016-audit-checkpoints.js';
import { migration017LineageByTargetId } from './017-lineage-by-target-id.js';
import { migration018AuditWitnessDeliveries } from './018-audit-witness-deliveries.js';

/**
 * Every schema migration, oldest first. Add a new one by appending one line; never edit, reorder or
 * remove an entry that has shipped (its checksum is recorded in every store it was applied to).
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001Foundation,
  migration002PartnerIntake,
  migration003Engine,
  migration004TargetCalls,
  migration005ConnectionCredentials,
  migration006Exceptions,
  migration007ExceptionReplays,
  migration008ExceptionFixes,
  migration009ExceptionsSearch,
  migration010ConnectionBreakers,
  migration011Outbox,
  migration012FallbackEntries,
  migration013AnomalyHolds,
  migration014Reconciliation,
  migration015ShadowRuns,
  migration016AuditCheckpoints,
  migration017LineageByTargetId,
  migration018AuditWitnessDeliveries,
  // The next migration goes on the line above this comment (which also keeps the list one per line).
];
