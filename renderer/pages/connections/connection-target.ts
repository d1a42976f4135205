import type { ConnectionSettings } from '../../../shared/domain/connection.js';

/** Where a connection points, in one short text for the list: a base URL, a folder or a webhook path. */
export function connectionTarget(settings: ConnectionSettings): string {
  switch (settings.kind) {
    case 'odoo':
      return `${settings.baseUrl} · ${settings.database}`;
    case 'fhir':
      return settings.baseUrl;
    case 'webhook-in':
      return `Inbound source "${settings.sourceName}"`;
    case 'webhook-out':
      return settings.url;
    case 'csv-drop':
      return settings.folder;
  }
}

/** True when the operator allowed plain HTTP and the URL uses it: the list flags such connections. */
export function usesPlainHttp(settings: ConnectionSettings): boolean {
  if (!('allowInsecureHttp' in settings) || !settings.allowInsecureHttp) return false;
  const url = settings.kind === 'webhook-out' ? settings.url : settings.baseUrl;
  return url.toLowerCase().startsWith('http:');
}
