import { createDispatcher } from '../api/dispatcher.js';
import { EventBus } from '../api/event-bus.js';
import { ExceptionChangeRelay } from '../api/exception-change-events.js';
import { createHandlers } from '../api/handlers/index.js';
import type { HeavyStoreWork, Services } from '../api/services.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { SessionRegistry } from '../auth/session-registry.js';
import { EngineClient } from '../engine/worker/engine-client.js';
import { createLogger, type Logger } from '../log/logger.js';
import { ConnectionCredentialsRepo } from '../repositories/connection-credentials-repo.js';
import { ConnectionsRepo } from '../repositories/connections-repo.js';
import { OperatorsRepo } from '../repositories/operators-repo.js';
import { openStore } from '../store/open-store.js';
import { scrapeMetrics } from '../server/metrics/metrics-access.js';
import { MetricsReader } from '../server/metrics/metrics-snapshot.js';
import { KeychainVault } from '../vault/keychain-vault.js';
import { signCheckpointNow } from '../store/audit/checkpoints/checkpoint-signer.js';
import type { Core } from './core-types.js';
import { startCoreServices, type CoreServices, type CoreServicesOptions } from './services/core-services.js';
import { createHeavyStoreWork } from './heavy-store-work.js';
import { pushWitnessOnce } from '../audit/witness/witness-pusher.js';
import { storeIdentity } from './store-identity.js';

export interface CoreOptions {
  readonly dataDir: string;
  /** Keychain service name; tests use their own so they never touch a real profile's secrets. */
  readonly keychainService?: string;
  readonly idleLockMinutes?: number;
  readonly logger?: Logger;
  /** The long-lived services' settings: where the inbound webhook listener binds, restart backoff. */
  readonly services?: CoreServicesOptions;
}

const SESSION_MAX_AGE_MS = 12 * 60 * 60_000;
const IDLE_SWEEP_MS = 15_000;

/** Opens the store and wires repositories, vault, sessions, events and handlers into one dispatcher. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const logger = options.logger ?? createLogger();
  const store = openStore({ dataDir: options.dataDir });
  const sessions = new SessionRegistry({
    idleLockMs: (options.idleLockMinutes ?? 15) * 60_000,
    maxAgeMs: SESSION_MAX_AGE_MS,
  });
  const operators = new OperatorsRepo(store.db);
  const events = new EventBus({
    rolesOf(sessionId) {
      const lookup = sessions.lookup(sessionId);
      if (lookup.kind !== 'active') return null;
      const operator = operators.get(lookup.session.username);
      return operator && !operator.disabled ? operator.roles : null;
    },
  });
  const heavy: HeavyStoreWork = await createHeavyStoreWork(store.dataDir, (event) => events.publish(event));
  const vault = new KeychainVault({ namespace: storeIdentity(store.db), service: options.keychainService });
  let coreServices: CoreServices | null = null;
  const exceptionChanges = new ExceptionChangeRelay((event) => events.publish(event));
  const engine = new EngineClient({
    dataDir: store.dataDir,
    secrets: vault,
    publish: (event) => {
      coreServices?.observe(event);
      events.publish(event);
      exceptionChanges.observe(event);
    },
    onAudit: (entries) => {
      for (const entry of entries) events.publish({ type: 'audit.appended', entry });
    },
    log: (message) => logger.warn(message),
  });
  const services: Services = {
    store,
    operators,
    connections: new ConnectionsRepo(store.db),
    credentials: new ConnectionCredentialsRepo(store.db),
    vault,
    sessions,
    loginThrottle: new LoginThrottle(),
    events,
    heavy,
    engine,
    logger,
    serviceReport: () =>
      coreServices?.report() ?? {
        services: [],
        webhookListenerUrl: null,
        webhookListeners: [],
        webhookEndpoints: [],
        signing: [],
      },
    webhookListeners: {
      listenHostRefusal: (host) => coreServices?.webhookListenHostRefusal(host) ?? null,
      reconcile: () => coreServices?.reconcileWebhookListeners(),
    },
    witness: { kick: () => coreServices?.kickWitness() ?? Promise.resolve() },
  };
  const dispatch = createDispatcher(services, createHandlers(services));

  const stopAuditEvents = store.audit.onAppend((entries) => {
    for (const entry of entries) events.publish({ type: 'audit.appended', entry });
  });
  const idleSweep = setInterval(() => {
    for (const session of sessions.sweepIdle()) {
      events.publishToSession(session.id, { type: 'session.locked', reason: 'inactivity' });
    }
  }, IDLE_SWEEP_MS);
  idleSweep.unref();
  // Engine + scheduler, inbound listener, CSV drop watchers, outbound resume, integrity check and
  // scheduled backups: started here, so every shell (serve, demo, Electron) gets them. With flows
  // configured the engine starts now, so schedules fire without anyone signing in; otherwise it
  // starts with the first flow.
  coreServices = startCoreServices(
    {
      store,
      connections: services.connections,
      secrets: vault,
      engine,
      logger,
      publish: (event) => events.publish(event),
      checkIntegrity: (mode) => heavy.checkIntegrity(mode),
      backup: (reason) => heavy.backup(reason),
      prunePayloads: (request) => heavy.prunePayloads(request),
      pushWitness: () =>
        pushWitnessOnce({
          db: store.db,
          secrets: vault,
          storeId: storeIdentity(store.db),
          ...(options.services?.auditWitnessTiming === undefined
            ? {}
            : { timing: options.services.auditWitnessTiming }),
          audit: (row) => {
            // Announced to consoles by the store's onAppend listener, like every row of this connection.
            store.audit.append({ actor: 'system', ...row });
          },
        }),
      checkpoint: () =>
        signCheckpointNow(store.db, vault, storeIdentity(store.db), {
          reason: 'scheduled',
          skipIfUnchanged: true,
        }),
    },
    options.services,
  );
  const started = coreServices;
  const metrics = { sessions, operators, reader: new MetricsReader(store.db) };

  return {
    dispatch,
    dataDir: store.dataDir,
    subscribe: (subscriber) => events.subscribe(subscriber),
    csrfTokenFor(sessionId) {
      const lookup = sessions.lookup(sessionId);
      return lookup.kind === 'none' ? null : lookup.session.csrfToken;
    },
    sessionOperator(sessionId) {
      const lookup = sessions.lookup(sessionId);
      if (lookup.kind === 'none') return null;
      const operator = operators.get(lookup.session.username);
      return operator && !operator.disabled ? operator.username : null;
    },
    auditTransportRefusal(entry) {
      try {
        store.audit.append(entry);
      } catch (error) {
        logger.error(
          { action: entry.action, err: error instanceof Error ? error.message : String(error) },
          'audit row refused',
        );
      }
    },
    scrapeMetrics: (sessionId) => scrapeMetrics(metrics, sessionId),
    servicesReport: () => started.report(),
    async close() {
      clearInterval(idleSweep);
      stopAuditEvents();
      exceptionChanges.close();
      await started.stop();
      await engine.close();
      await heavy.close();
      store.close();
    },
  };
}
