import { ApiFailure } from '../../../shared/contract/result.js';
import type { Connection, ConnectionSettings } from '../../../shared/domain/connection.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { deleteConnectionHandler } from './connection-delete.js';
import { flowUsagesOf } from './connection-flow-usages.js';
import { withInboundEndpoints } from './connection-inbound-endpoint.js';
import { flowsUsingConnection } from './connection-usages.js';
import { rememberCredentials } from './remember-credentials.js';

type ConnectionHandlers = {
  readonly 'connections.list': Handler<'connections.list'>;
  readonly 'connections.get': Handler<'connections.get'>;
  readonly 'connections.create': Handler<'connections.create'>;
  readonly 'connections.update': Handler<'connections.update'>;
  readonly 'connections.delete': Handler<'connections.delete'>;
  readonly 'connections.usages': Handler<'connections.usages'>;
  readonly 'connections.setSecret': Handler<'connections.setSecret'>;
  readonly 'connections.clearSecret': Handler<'connections.clearSecret'>;
  readonly 'connections.test': Handler<'connections.test'>;
};

/** Brings an open breaker's next probe forward to now; answers whether there was one. */
function probeNow(db: Services['store']['db'], connectionId: string): boolean {
  const moved = db
    .prepare(
      "UPDATE connection_breakers SET next_probe_at = ? WHERE connection_id = ? AND state <> 'closed' AND next_probe_at > ?",
    )
    .run(new Date().toISOString(), connectionId, new Date().toISOString());
  return moved.changes > 0;
}

export function connectionHandlers(services: Services): ConnectionHandlers {
  const { connections, credentials, vault, events } = services;

  function existing(id: string): Connection {
    const connection = connections.get(id);
    if (!connection)
      throw new ApiFailure('not-found', 'That connection does not exist (it may have been deleted).');
    return connection;
  }

  function assertNameFree(name: string, ownId: string | null): void {
    const takenBy = connections.nameTakenBy(name);
    if (takenBy && takenBy !== ownId)
      throw new ApiFailure('conflict', `A connection named "${name}" already exists.`);
  }

  /** A webhook-in connection's own listen host must pass the console's bind policy (else 400). */
  function assertListenable(settings: ConnectionSettings): void {
    if (settings.kind !== 'webhook-in') return;
    const refusal = services.webhookListeners.listenHostRefusal(settings.listenHost);
    if (refusal !== null) throw new ApiFailure('invalid-input', refusal);
  }

  /** A webhook-in connection's address may have come, gone or moved: listeners follow at once. */
  function followListeners(kind: Connection['kind']): void {
    if (kind === 'webhook-in') services.webhookListeners.reconcile();
  }

  return {
    // A webhook-in connection's answers carry its listener address and signing recipe (never a secret).
    'connections.list': () => connections.list().map(withInboundEndpoints(services)),

    'connections.get': (input, call) => {
      call.audit.target = input.id;
      return withInboundEndpoints(services)(existing(input.id));
    },

    'connections.create': (input, call) => {
      assertNameFree(input.name, null);
      assertListenable(input.settings);
      const created = connections.insert(input.name, input.settings, call.operator?.username ?? 'system');
      Object.assign(call.audit, {
        target: created.id,
        detail: { name: created.name, settings: created.settings },
      });
      followListeners(created.kind);
      events.publish({ type: 'connections.changed', id: created.id, change: 'created' });
      return withInboundEndpoints(services)(created);
    },

    'connections.update': (input, call) => {
      const current = existing(input.id);
      call.audit.target = current.id;
      if (input.settings.kind !== current.kind) {
        throw new ApiFailure(
          'invalid-input',
          'A connection keeps its kind: create a new connection instead.',
        );
      }
      assertNameFree(input.name, current.id);
      assertListenable(input.settings);
      const updated = connections.update(current.id, input.name, input.settings);
      if (!updated) throw new ApiFailure('not-found', 'That connection was deleted meanwhile.');
      call.audit.detail = { name: updated.name, settings: updated.settings };
      followListeners(updated.kind);
      events.publish({ type: 'connections.changed', id: updated.id, change: 'updated' });
      return withInboundEndpoints(services)(updated);
    },

    'connections.delete': deleteConnectionHandler(services, existing),

    'connections.usages': (input, call) => {
      call.audit.target = input.id;
      return flowsUsingConnection(services.store.db, existing(input.id).id).usages;
    },

    'connections.setSecret': async (input, call) => {
      const current = existing(input.id);
      call.audit.target = current.id;
      if (current.kind === 'csv-drop') {
        throw new ApiFailure('invalid-input', 'A CSV drop folder needs no secret.');
      }
      await vault.set(current.id, input.secret);
      // A new secret: the old key's expiry and any refusal no longer hold (scheduled runs go again).
      credentials.forget(current.id);
      call.audit.detail = { rotated: current.secret.isSet };
      const updated = connections.markSecret(current.id, new Date());
      if (!updated) throw new ApiFailure('not-found', 'That connection was deleted meanwhile.');
      events.publish({ type: 'connections.changed', id: current.id, change: 'secret' });
      return withInboundEndpoints(services)(updated);
    },

    'connections.clearSecret': async (input, call) => {
      const current = existing(input.id);
      call.audit.target = current.id;
      const removed = await vault.delete(current.id);
      credentials.forget(current.id);
      call.audit.detail = { removed };
      const updated = connections.markSecret(current.id, null);
      if (!updated) throw new ApiFailure('not-found', 'That connection was deleted meanwhile.');
      events.publish({ type: 'connections.changed', id: current.id, change: 'secret' });
      return withInboundEndpoints(services)(updated);
    },

    'connections.test': async (input, call) => {
      const connection = existing(input.id);
      call.audit.target = connection.id;
      // Loaded on first use: the connectors (undici and friends) are not needed to start serving.
      const { testConnection } = await import('../../connectors/connection-testers.js');
      // The rights to check follow from the flows that use this connection, not from the caller.
      const flows = flowUsagesOf(services.store.db, connection.id);
      const result = await testConnection({ connection, secrets: vault, flows, models: input.models });
      call.audit.detail = { ok: result.ok, summary: result.summary };
      if (rememberCredentials(credentials, connection.id, result)) {
        events.publish({ type: 'connections.changed', id: connection.id, change: 'credentials' });
      }
      // A passing test of a connection whose breaker is open: the engine probes it at its next tick
      // (within seconds) instead of after its backoff, so an operator who fixed the peer need not wait.
      if (result.ok && probeNow(services.store.db, connection.id)) {
        call.audit.detail = { ...call.audit.detail, breaker: 'probe due now' };
      }
      return result;
    },
  };
}
