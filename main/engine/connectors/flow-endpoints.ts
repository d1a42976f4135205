import type Database from 'better-sqlite3';
import type { Connection } from '../../../shared/domain/connection.js';
import { createFhirConnector } from '../../connectors/fhir/index.js';
import { createOdooConnector } from '../../connectors/odoo/index.js';
import { encodeCursor } from '../../connectors/odoo/read-cursor.js';
import { CsvDropSource, ProcessedFilesStore } from '../../connectors/csv/index.js';
import { ConnectorError, type Source, type Target } from '../../connectors/types.js';
import { DeliveryStore } from '../../connectors/webhook/delivery-store.js';
import { InboundEventStore } from '../../connectors/webhook/inbound-event-store.js';
import { InboundWebhookSource } from '../../connectors/webhook/inbound-webhook-source.js';
import { OutboundWebhookTarget } from '../../connectors/webhook/outbound-webhook-target.js';
import type { SecretReader } from '../../vault/types.js';

/** One side of a flow, with what must be released after the run. */
export interface Endpoint<T> {
  readonly endpoint: T;
  close(): Promise<void>;
}

const noClose = (): Promise<void> => Promise.resolve();

function unsupported(connection: Connection, role: 'source' | 'target'): ConnectorError {
  return new ConnectorError(
    'configuration',
    'engine.unsupported-endpoint',
    `A ${connection.kind} connection ("${connection.name}") cannot be a flow ${role}.`,
  );
}

/** Builds the Source for a flow's source connection; the engine's own store backs inbound webhooks. */
export function createSource(
  connection: Connection,
  secrets: SecretReader,
  db: Database.Database,
): Endpoint<Source> {
  const settings = connection.settings;
  switch (settings.kind) {
    case 'odoo': {
      const odoo = createOdooConnector({ connectionId: connection.id, settings, secrets });
      return { endpoint: odoo, close: () => odoo.close() };
    }
    case 'fhir':
      return { endpoint: createFhirConnector(connection.id, settings, secrets).source, close: noClose };
    case 'webhook-in':
      return { endpoint: new InboundWebhookSource(connection.id, new InboundEventStore(db)), close: noClose };
    case 'csv-drop':
      return {
        endpoint: new CsvDropSource({
          connectionId: connection.id,
          settings,
          files: new ProcessedFilesStore(db),
        }),
        close: noClose,
      };
    default:
      throw unsupported(connection, 'source');
  }
}

export function createTarget(
  connection: Connection,
  secrets: SecretReader,
  db: Database.Database,
): Endpoint<Target> {
  const settings = connection.settings;
  switch (settings.kind) {
    case 'odoo': {
      const odoo = createOdooConnector({ connectionId: connection.id, settings, secrets });
      return { endpoint: odoo, close: () => odoo.close() };
    }
    case 'fhir':
      return { endpoint: createFhirConnector(connection.id, settings, secrets).target, close: noClose };
    case 'webhook-out':
      return {
        endpoint: new OutboundWebhookTarget({
          connectionId: connection.id,
          settings,
          secrets,
          deliveries: new DeliveryStore(db),
        }),
        close: noClose,
      };
    default:
      throw unsupported(connection, 'target');
  }
}

/** What lineage calls the target "model": the Odoo model, the FHIR resource type, the event type. */
export function targetModelOf(operation: Readonly<Record<string, unknown>>): string {
  for (const name of ['model', 'resourceType', 'eventType']) {
    const value = operation[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'unknown';
}

/** The cursor that makes a source read everything changed since `from` (a backfill). */
export function backfillCursor(connection: Connection, from: string): string | null {
  const date = new Date(from);
  switch (connection.kind) {
    case 'odoo':
      return encodeCursor({ writeDate: date.toISOString().slice(0, 19).replace('T', ' '), id: 0 });
    case 'fhir':
      return date.toISOString();
    default:
      // Inbound events and files have no time cursor: a backfill reads them all again.
      return null;
  }
}
