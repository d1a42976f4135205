import { z } from 'zod';
import type { CredentialStatus } from './connection-credentials.js';
import type { InboundEndpoint } from './inbound-endpoint.js';

/**
 * Connections: where the console reads from and writes to. Settings never hold a secret; the secret
 * (API key, password, token, HMAC key) lives in the OS keychain and the console only ever learns
 * whether it is set and when it last changed.
 */
export const CONNECTION_KINDS = ['odoo', 'fhir', 'webhook-in', 'webhook-out', 'csv-drop'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const CONNECTION_KIND_LABELS: Readonly<Record<ConnectionKind, string>> = {
  odoo: 'Odoo',
  fhir: 'FHIR R4 server',
  'webhook-in': 'Inbound webhook',
  'webhook-out': 'Outbound webhook',
  'csv-drop': 'CSV drop folder',
};

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => /^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), {
    message: 'Enter a full http(s) URL, e.g. https://odoo.clinic.example',
  });

const folderPath = z.string().trim().min(1, 'Enter a folder path').max(1024);

/**
 * The circuit breaker's count for this connection: consecutive failed calls before its flows wait
 * for it (issue 11). Absent: the engine's default (3).
 */
const breakerThreshold = z.number().int().min(1).max(100).optional();

export const odooSettingsSchema = z.object({
  kind: z.literal('odoo'),
  baseUrl: httpUrl,
  database: z.string().trim().min(1, 'Enter the Odoo database name').max(128),
  login: z.string().trim().min(1, 'Enter the Odoo user login').max(256),
  authMethod: z.enum(['api-key', 'password']).default('api-key'),
  protocol: z.enum(['auto', 'json-rpc', 'json-2']).default('auto'),
  externalIdModule: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'Use lower-case letters, digits and _ (an Odoo module name)')
    .default('osc_sync'),
  allowInsecureHttp: z.boolean().default(false),
  maxConcurrentCalls: z.number().int().min(1).max(16).default(2),
  maxCallsPerSecond: z.number().min(0.1).max(100).default(10),
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
  breakerThreshold,
});

export const fhirSettingsSchema = z.object({
  kind: z.literal('fhir'),
  baseUrl: httpUrl,
  authMethod: z.enum(['bearer', 'basic', 'none']).default('bearer'),
  username: z.string().trim().max(256).default(''),
  allowInsecureHttp: z.boolean().default(false),
  pageSize: z.number().int().min(1).max(5000).default(500),
  overlapSeconds: z.number().int().min(0).max(86_400).default(120),
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
  breakerThreshold,
});

/**
 * Where a webhook-in listener binds: an IPv4/IPv6 address or a host name (no brackets, no port).
 * Whether a non-loopback address may be used is the console's bind policy, checked on save.
 */
export const listenHostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .refine(
    (value) =>
      /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(
        value,
      ) ||
      // IPv6 has two colons at least, so an IPv4 host:port is not taken for one.
      (/:.*:/.test(value) && /^[0-9a-f:.]{2,45}$/i.test(value)),
    { message: 'Enter an IP address or host name without a port, e.g. 127.0.0.1' },
  );

export const webhookInSettingsSchema = z.object({
  kind: z.literal('webhook-in'),
  sourceName: z
    .string()
    .trim()
    .max(63)
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use lower-case letters, digits and - (it becomes part of the URL)'),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(1024 * 1024),
  clockSkewSeconds: z.number().int().min(5).max(3600).default(300),
  ratePerMinute: z.number().int().min(1).max(100_000).default(600),
  /**
   * Where this source's listener binds; absent: the console's default listener (--webhook-host,
   * loopback by default). Connections with the same address share one listener.
   */
  listenHost: listenHostSchema.optional(),
  /** Absent: the console's default webhook port (--webhook-port, 4781 by default). */
  listenPort: z.number().int().min(1).max(65_535).optional(),
});

export const webhookOutSettingsSchema = z.object({
  kind: z.literal('webhook-out'),
  url: httpUrl,
  allowInsecureHttp: z.boolean().default(false),
  maxAttempts: z.number().int().min(1).max(50).default(8),
  timeoutMs: z.number().int().min(1000).max(120_000).default(10_000),
  breakerThreshold,
});

export const csvDropSettingsSchema = z.object({
  kind: z.literal('csv-drop'),
  folder: folderPath,
  archiveFolder: folderPath,
  rejectedFolder: folderPath,
  encoding: z.enum(['utf8', 'utf16le', 'latin1', 'windows-1252']).default('utf8'),
  delimiter: z.string().min(1).max(2).default(','),
  hasHeader: z.boolean().default(true),
});

export const connectionSettingsSchema = z.discriminatedUnion('kind', [
  odooSettingsSchema,
  fhirSettingsSchema,
  webhookInSettingsSchema,
  webhookOutSettingsSchema,
  csvDropSettingsSchema,
]);
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;
export type OdooSettings = z.infer<typeof odooSettingsSchema>;
export type FhirSettings = z.infer<typeof fhirSettingsSchema>;
export type WebhookInSettings = z.infer<typeof webhookInSettingsSchema>;
export type WebhookOutSettings = z.infer<typeof webhookOutSettingsSchema>;
export type CsvDropSettings = z.infer<typeof csvDropSettingsSchema>;

export const connectionNameSchema = z.string().trim().min(1, 'Give the connection a name').max(120);
export const connectionIdSchema = z
  .string()
  .max(64, 'Not a connection id')
  .regex(/^conn_[a-z0-9]{10,40}$/, 'Not a connection id');

/** What the console may know about a stored secret: never its value. */
export interface SecretStatus {
  readonly isSet: boolean;
  readonly changedAt: string | null;
}

export interface Connection {
  readonly id: string;
  readonly name: string;
  readonly kind: ConnectionKind;
  readonly settings: ConnectionSettings;
  readonly secret: SecretStatus;
  /** Key expiry and refusals seen by tests and runs (see connection-credentials.ts). */
  readonly credentials: CredentialStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  /**
   * webhook-in only, in the API's answers: where the partner posts (the running listener's address)
   * and how to sign. Computed when answering, never stored.
   */
  readonly inbound?: InboundEndpoint;
}

/** Which secret each connection kind keeps in the keychain; shown in the console as the field label. */
export const SECRET_LABELS: Readonly<Record<ConnectionKind, string>> = {
  odoo: 'API key or password',
  fhir: 'Bearer token or password',
  'webhook-in': 'HMAC signing secret',
  'webhook-out': 'HMAC signing secret',
  'csv-drop': 'No secret needed',
};
