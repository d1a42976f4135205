import type { ConnectionKind, ConnectionSettings } from '../../../shared/domain/connection.js';

export interface FieldText {
  readonly label: string;
  readonly description?: string;
  /** Labels for an enum's values, in the order shown. */
  readonly options?: Readonly<Record<string, string>>;
  /** Shown in an empty optional field: what leaving it empty means. */
  readonly placeholder?: string;
}

type SettingsOf<K extends ConnectionKind> = Extract<ConnectionSettings, { kind: K }>;

/**
 * What operators read for each settings field. The type makes a field added to a settings schema a
 * compile error here until it has a label; which inputs exist is derived from the schemas themselves.
 */
export type SettingsLabels = {
  readonly [K in ConnectionKind]: { readonly [F in Exclude<keyof SettingsOf<K>, 'kind'>]: FieldText };
};

const allowInsecureHttp: FieldText = {
  label: 'Allow plain HTTP',
  description: 'Only for a test server on a trusted network: credentials then travel unencrypted.',
};
const timeoutMs: FieldText = { label: 'Timeout (ms)' };
const breakerThreshold: FieldText = {
  label: 'Failures before flows wait',
  description: 'Consecutive failed calls that open the circuit breaker. Empty: 3.',
};

export const SETTINGS_LABELS: SettingsLabels = {
  odoo: {
    baseUrl: { label: 'Base URL', description: 'e.g. https://odoo.clinic.example' },
    database: { label: 'Database' },
    login: { label: 'Login', description: 'The Odoo user the console acts as.' },
    authMethod: { label: 'Authentication', options: { 'api-key': 'API key', password: 'Password' } },
    protocol: {
      label: 'Protocol',
      options: {
        auto: 'Detect automatically',
        'json-rpc': 'JSON-RPC (Odoo 14–18)',
        'json-2': 'JSON-2 (Odoo 19+)',
      },
    },
    externalIdModule: {
      label: 'External ID module',
      description: 'Prefix of the external IDs the console writes.',
    },
    allowInsecureHttp,
    maxConcurrentCalls: { label: 'Max concurrent calls' },
    maxCallsPerSecond: { label: 'Max calls per second' },
    timeoutMs,
    breakerThreshold,
  },
  fhir: {
    baseUrl: { label: 'Base URL', description: 'The FHIR R4 base, e.g. https://ehr.clinic.example/fhir' },
    authMethod: {
      label: 'Authentication',
      options: { bearer: 'Bearer token', basic: 'Username and password', none: 'None' },
    },
    username: { label: 'Username (basic authentication)' },
    allowInsecureHttp,
    pageSize: { label: 'Page size' },
    overlapSeconds: {
      label: 'Overlap window (seconds)',
      description: 'Re-read this much before the last cursor.',
    },
    timeoutMs,
    breakerThreshold,
  },
  'webhook-in': {
    sourceName: { label: 'Source name', description: 'Becomes part of the webhook URL.' },
    maxBodyBytes: { label: 'Max body size (bytes)' },
    clockSkewSeconds: { label: 'Allowed clock skew (seconds)' },
    ratePerMinute: { label: 'Max requests per minute' },
    listenHost: {
      label: 'Listen host',
      description:
        "Where this source's listener binds. Empty: the console's webhook listener (loopback). Another address needs the console's TLS files or --insecure-http.",
      placeholder: "127.0.0.1 (the console's default)",
    },
    listenPort: {
      label: 'Listen port',
      description: 'Empty: the console webhook port. Sources with the same host and port share one listener.',
      placeholder: "4781 (the console's default)",
    },
  },
  'webhook-out': {
    url: { label: 'URL', description: 'Where signed events are delivered.' },
    allowInsecureHttp,
    maxAttempts: { label: 'Max delivery attempts' },
    timeoutMs,
    breakerThreshold,
  },
  'csv-drop': {
    folder: { label: 'Folder', description: 'Where partner files arrive.' },
    archiveFolder: { label: 'Archive folder' },
    rejectedFolder: { label: 'Rejected folder' },
    encoding: {
      label: 'Encoding',
      options: {
        utf8: 'UTF-8',
        utf16le: 'UTF-16 LE',
        latin1: 'Latin-1 (ISO 8859-1)',
        'windows-1252': 'Windows-1252',
      },
    },
    delimiter: { label: 'Delimiter' },
    hasHeader: { label: 'First row is a header' },
  },
};
