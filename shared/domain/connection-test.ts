/**
 * What "Test connection" tells an operator: every check that ran, in order, each with a plain-words
 * message saying what is wrong and what to do (unreachable, TLS, wrong database, bad credentials,
 * missing module, missing access rights, key expiring soon, …).
 */
export interface ConnectionCheck {
  /** Stable id, e.g. 'reachable', 'tls', 'database', 'credentials', 'access:account.move:create'. */
  readonly id: string;
  readonly label: string;
  readonly status: 'passed' | 'failed' | 'warning' | 'skipped';
  readonly message: string;
}

export interface ConnectionTestResult {
  readonly ok: boolean;
  /** One sentence: the first failure, or what was verified. */
  readonly summary: string;
  readonly checks: readonly ConnectionCheck[];
  /** e.g. { serverVersion: '17.0', protocol: 'json-rpc' } — never a secret. */
  readonly facts: Readonly<Record<string, string>>;
  readonly durationMs: number;
}
