import pino, { type Logger } from 'pino';

/**
 * Every log line goes through pino's redaction first. Handlers never log inputs, but if a secret
 * ever reaches a log call by one of these names, it is censored before it is written.
 */
export const REDACTED_KEYS = [
  'password',
  'secret',
  'apiKey',
  'api_key',
  'token',
  'authorization',
  'cookie',
  'csrfToken',
  'passwordHash',
  'password_hash',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  return pino(
    {
      level: options.level ?? process.env.OSC_LOG_LEVEL ?? 'info',
      redact: { paths, censor: '[redacted]' },
      base: { app: 'odoo-sync-console' },
    },
    options.destination ?? process.stderr,
  );
}

export type { Logger };
