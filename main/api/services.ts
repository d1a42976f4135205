import type { ServicesReport } from '../../shared/contract/ops/service-ops.js';
import type { AuditVerification } from '../../shared/domain/audit.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { SessionRegistry } from '../auth/session-registry.js';
import type { EngineClient } from '../engine/worker/engine-client.js';
import type { Logger } from '../log/logger.js';
import type { ConnectionCredentialsRepo } from '../repositories/connection-credentials-repo.js';
import type { ConnectionsRepo } from '../repositories/connections-repo.js';
import type { OperatorsRepo } from '../repositories/operators-repo.js';
import type { IntegrityMode, IntegrityReport } from '../store/integrity/integrity-check.js';
import type { AuditFilter, BackupResult, Store } from '../store/types.js';
import type { AuditPeriodSummary } from '../store/audit/audit-period-summary.js';
import type { PayloadRetentionRun } from '../store/retention/payload-retention.js';
import type { PayloadRetentionRequest } from '../store/retention/payload-retention-at.js';
import type { Vault } from '../vault/types.js';
import type { EventBus } from './event-bus.js';

/** Store work too heavy for the serving thread: walking the whole audit chain, a full backup. */
export interface HeavyStoreWork {
  verifyAudit(): Promise<AuditVerification>;
  /** SQLite's quick_check or full integrity_check of the store. */
  checkIntegrity(mode: IntegrityMode): Promise<IntegrityReport>;
  backup(reason: string): Promise<BackupResult>;
  /** A payload retention pass, audited under `actor` (issue 13): rewrites payloads in batches. */
  prunePayloads(request: PayloadRetentionRequest): Promise<PayloadRetentionRun>;
  /** The printable audit report's counts and first rows of a period (one pass over its rows). */
  auditSummary(filter: AuditFilter, maxRows: number): Promise<AuditPeriodSummary>;
  close(): Promise<void>;
}

/** Everything the handlers work with, built once by main/app/core.ts. */
export interface Services {
  readonly store: Store;
  readonly operators: OperatorsRepo;
  readonly connections: ConnectionsRepo;
  /** Key expiry and refusals learned by Test connection and runs. */
  readonly credentials: ConnectionCredentialsRepo;
  readonly vault: Vault;
  readonly sessions: SessionRegistry;
  readonly loginThrottle: LoginThrottle;
  readonly events: EventBus;
  readonly heavy: HeavyStoreWork;
  /** The sync engine, running in its own worker thread. */
  readonly engine: EngineClient;
  readonly logger: Logger;
  /** The long-lived services' health and the inbound webhook addresses (main/app/services/). */
  readonly serviceReport: () => ServicesReport;
  /** The inbound webhook listeners, as far as a connection's settings concern them. */
  readonly webhookListeners: {
    /** Why a webhook-in connection may not listen on this host (the console's bind policy), or null. */
    listenHostRefusal(host: string | undefined): string | null;
    /** Webhook-in connections changed: start and stop listeners to match, without a restart. */
    reconcile(): void;
  };
  /** The checkpoint witness (issue 13): push what it is owed now; resolves after that pass. */
  readonly witness: { kick(): Promise<void> };
}
