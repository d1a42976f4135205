import { basename } from 'node:path';
import type { ServicesReport } from '../../../shared/contract/ops/service-ops.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';
import type { EngineClient } from '../../engine/worker/engine-client.js';
import type { Logger } from '../../log/logger.js';
import type { IntegrityMode, IntegrityReport } from '../../store/integrity/integrity-check.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import { pruneScheduledBackups } from '../../store/backup/prune-scheduled-backups.js';
import type { BackupResult, Store } from '../../store/types.js';
import type { SecretReader } from '../../vault/types.js';
import type { StoredCheckpoint } from '../../store/audit/checkpoints/checkpoint-repo.js';
import { SCHEDULED_CHECKPOINT_ACTION } from '../../store/audit/checkpoints/create-checkpoint.js';
import { auditCheckpointService } from './audit-checkpoint-service.js';
import { auditWitnessService } from './audit-witness-service.js';
import type { WitnessPass, WitnessTiming } from '../../audit/witness/witness-pusher.js';
import { csvDropService } from './csv-drop-service.js';
import { engineService } from './engine-service.js';
import { outboundResumeService } from './outbound-resume-service.js';
import { scheduledBackupService } from './scheduled-backup-service.js';
import { ServiceSupervisor } from './service-supervisor.js';
import { storeIntegrityService } from './store-integrity-service.js';
import { payloadRetentionService } from '../../store/retention/payload-retention-service.js';
import type { PayloadRetentionRun } from '../../store/retention/payload-retention.js';
import type { PayloadRetentionRequest } from '../../store/retention/payload-retention-at.js';
import {
  SIGNING_STEPS,
  webhookListenerService,
  type WebhookListenerSettings,
} from './webhook-listener-service.js';
import { listenHostRefusal } from './webhook-listen-address.js';

export interface CoreServicesOptions {
  /** The default inbound listener's address and TLS; false: do not listen (a core that only answers the CLI). */
  readonly webhookListener?: WebhookListenerSettings | false;
  readonly restartInitialDelayMs?: number;
  readonly restartMaxDelayMs?: number;
  /** How often the outbound resume looks for orphaned deliveries after its first pass at start. */
  readonly outboundResumeEveryMs?: number;
  /** How often the full integrity_check runs while the console runs (default daily). */
  readonly integrityCheckEveryMs?: number;
  /** How often a scheduled backup is taken while the console runs (default daily). */
  readonly backupEveryMs?: number;
  /** How many scheduled backups are kept (default 7); other backups are never removed. */
  readonly scheduledBackupsKept?: number;
  /** How often a signed checkpoint of the audit head is taken while the console runs (default hourly). */
  readonly auditCheckpointEveryMs?: number;
  /** How often the checkpoint witness looks for checkpoints it is owed (default every minute). */
  readonly auditWitnessEveryMs?: number;
  /** The witness's retry timing (witness-pusher.ts DEFAULT_WITNESS_TIMING); tests shorten it. */
  readonly auditWitnessTiming?: Partial<WitnessTiming>;
}

export interface CoreServices {
  report(): ServicesReport;
  /** Why a webhook-in connection may not listen on this host (the console's bind policy), or null. */
  webhookListenHostRefusal(host: string | undefined): string | null;
  /** Webhook-in connections changed: start and stop listeners to match their addresses. */
  reconcileWebhookListeners(): void;
  /** Every live event the core publishes (the engine's state follows its events). */
  observe(event: LiveEvent): void;
  /** A checkpoint was signed or the witness saved: the witness pushes now (resolves after that pass). */
  kickWitness(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Registers and starts every long-lived service of one core, in one place: the engine worker and
 * its scheduler, the inbound webhook + FHIR rest-hook listener, the CSV drop watchers, the
 * outbound delivery resume, the periodic integrity check and scheduled backups. `osc serve`, the
 * demo and the Electron app all get them from createCore.
 */
export function startCoreServices(
  deps: {
    readonly store: Store;
    readonly connections: ConnectionsRepo;
    readonly secrets: SecretReader;
    readonly engine: EngineClient;
    readonly logger: Logger;
    readonly publish: (event: LiveEvent) => void;
    /** The store's integrity check, run off the serving thread (the store worker). */
    readonly checkIntegrity?: (mode: IntegrityMode) => Promise<IntegrityReport>;
    /** An online backup of the store, run off the serving thread (the store worker). */
    readonly backup?: (reason: string) => Promise<BackupResult>;
    /** A payload retention pass, run off the serving thread (the store worker). */
    readonly prunePayloads?: (request: PayloadRetentionRequest) => Promise<PayloadRetentionRun>;
    /** Signs a checkpoint of the audit head unless it is already checkpointed (issue 13). */
    readonly checkpoint?: () => Promise<StoredCheckpoint | null>;
    /** One pass of the checkpoint witness (audit/witness/witness-pusher.ts). */
    readonly pushWitness?: () => Promise<WitnessPass>;
  },
  options: CoreServicesOptions = {},
): CoreServices {
  const supervisor = new ServiceSupervisor({
    ...(options.restartInitialDelayMs === undefined ? {} : { initialDelayMs: options.restartInitialDelayMs }),
    ...(options.restartMaxDelayMs === undefined ? {} : { maxDelayMs: options.restartMaxDelayMs }),
    onError: (service, message) => deps.logger.warn({ service, error: message }, 'service failed'),
    onChange: (service) => deps.publish({ type: 'services.changed', service }),
  });
  const flows = new FlowsRepo(deps.store.db);
  const engine = engineService(deps.engine, () => flows.list().length > 0);
  supervisor.register(engine.definition);
  const listener =
    options.webhookListener === false
      ? null
      : webhookListenerService({
          store: deps.store,
          connections: deps.connections,
          secrets: deps.secrets,
          settings: options.webhookListener ?? {},
          logger: deps.logger,
          supervisor,
        });
  supervisor.register(
    csvDropService({
      connections: deps.connections,
      flows,
      wake: async (flowId) => {
        await deps.engine.call('enqueue', {
          flowId,
          trigger: 'realtime',
          requestedBy: 'engine',
          backfillFrom: null,
        });
      },
    }),
  );
  supervisor.register(
    outboundResumeService({
      store: deps.store,
      connections: deps.connections,
      secrets: deps.secrets,
      ...(options.outboundResumeEveryMs === undefined ? {} : { everyMs: options.outboundResumeEveryMs }),
    }),
  );
  const checkIntegrity = deps.checkIntegrity;
  if (checkIntegrity !== undefined) {
    supervisor.register(
      storeIntegrityService({
        check: () => checkIntegrity('full'),
        ...(options.integrityCheckEveryMs === undefined ? {} : { everyMs: options.integrityCheckEveryMs }),
        onDamage: (problems) => {
          deps.logger.error({ problems }, 'the store failed its integrity check: restore a backup');
          appendSystemAudit(deps, {
            action: 'store.integrity-damaged',
            target: 'osc.sqlite',
            outcome: 'error',
            detail: { problems: problems.slice(0, 5) },
          });
        },
      }),
    );
  }
  const backup = deps.backup;
  if (backup !== undefined) {
    supervisor.register(
      scheduledBackupService({
        backup,
        prune: (keep) => pruneScheduledBackups(deps.store.dataDir, keep),
        ...(options.backupEveryMs === undefined ? {} : { everyMs: options.backupEveryMs }),
        ...(options.scheduledBackupsKept === undefined ? {} : { keep: options.scheduledBackupsKept }),
        onBackup: (outcome) => {
          if (!outcome.ok) deps.logger.error({ error: outcome.error }, 'the scheduled backup failed');
          appendSystemAudit(
            deps,
            outcome.ok
              ? {
                  action: 'store.backup-scheduled',
                  target: basename(outcome.result.path),
                  outcome: 'ok',
                  detail: {
                    bytes: outcome.result.bytes,
                    removed: outcome.removed.map((path) => basename(path)),
                  },
                }
              : {
                  action: 'store.backup-failed',
                  target: 'backups',
                  outcome: 'error',
                  detail: { error: outcome.error },
                },
          );
        },
      }),
    );
  }
  const pushWitness = deps.pushWitness;
  const witness =
    pushWitness === undefined
      ? null
      : auditWitnessService({
          push: pushWitness,
          ...(options.auditWitnessEveryMs === undefined ? {} : { everyMs: options.auditWitnessEveryMs }),
        });
  if (witness !== null) supervisor.register(witness.definition);
  const checkpoint = deps.checkpoint;
  if (checkpoint !== undefined) {
    supervisor.register(
      auditCheckpointService({
        checkpoint,
        ...(options.auditCheckpointEveryMs === undefined ? {} : { everyMs: options.auditCheckpointEveryMs }),
        onCheckpoint: (outcome) => {
          if (!outcome.ok) deps.logger.error({ error: outcome.error }, 'the audit checkpoint was not signed');
          else void witness?.kick();
          appendSystemAudit(
            deps,
            outcome.ok
              ? {
                  action: SCHEDULED_CHECKPOINT_ACTION,
                  target: `checkpoint:${outcome.checkpoint.id}`,
                  outcome: 'ok',
                  detail: {
                    seq: outcome.checkpoint.checkpoint.seq,
                    merkleRoot: outcome.checkpoint.checkpoint.merkleRoot,
                  },
                }
              : {
                  action: 'audit.checkpoint-failed',
                  target: 'audit_checkpoints',
                  outcome: 'error',
                  detail: { error: outcome.error },
                },
          );
        },
      }),
    );
  }
  // Prunes settled payloads past the administrator's retention age (off unless configured; issue 13),
  // in the store worker like the backup: a pass may take seconds on a large store.
  const prune = deps.prunePayloads;
  if (prune !== undefined) {
    supervisor.register(
      payloadRetentionService({
        store: deps.store,
        prune,
        onPruned: (entry) => deps.publish({ type: 'audit.appended', entry }),
      }),
    );
  }
  supervisor.startAll();
  // The listeners of connections' own addresses join once the default one and the others started.
  listener?.reconcile();
  return {
    report: () => ({
      services: supervisor.status(),
      webhookListenerUrl: listener?.url() ?? null,
      webhookListeners: listener?.listeners() ?? [],
      webhookEndpoints: listener?.endpoints() ?? [],
      signing: SIGNING_STEPS,
    }),
    webhookListenHostRefusal: (host) =>
      listener === null ? listenHostRefusal(host, null) : listener.listenHostRefusal(host),
    reconcileWebhookListeners: () => listener?.reconcile(),
    observe: (event) => engine.observe(event),
    kickWitness: () => witness?.kick() ?? Promise.resolve(),
    async stop() {
      await supervisor.stopAll();
      // After the listeners closed: the refusals still being counted are written now.
      listener?.stop();
    },
  };
}

/** A row the console's own services write (actor "system"), announced live like any other. */
function appendSystemAudit(
  deps: { readonly store: Store; readonly publish: (event: LiveEvent) => void },
  row: { action: string; target: string; outcome: 'ok' | 'error'; detail: Record<string, unknown> },
): void {
  try {
    const entry = deps.store.audit.append({ actor: 'system', ...row });
    deps.publish({ type: 'audit.appended', entry });
  } catch {
    // A store too damaged or a disk too full to take the row: the log line and the service say it.
  }
}
