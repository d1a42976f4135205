/**
 * The Odoo connector: JSON-RPC (Odoo 14–18) and JSON-2 (19+) over undici, idempotent upserts through
 * `load`, incremental reads, "Test connection", a per-connection throttle and the error taxonomy.
 */
export { createOdooConnector } from './odoo-connector.js';
export type { CreateOdooConnectorOptions, OdooConnector, OdooConnectorLogger } from './odoo-connector.js';
export { classifyHttpStatus, classifyNetworkError, classifyOdooError } from './failure-classifier.js';
export { externalIdName, qualifyExternalId } from './external-ids.js';
export type { ExternalIdTarget } from './external-id-lookup.js';
export type { OdooField } from './fields-get.js';
export { odooSelectorSchema, type OdooSelector } from './incremental-read.js';
export type { OdooProtocol, SessionInfo } from './odoo-session.js';
