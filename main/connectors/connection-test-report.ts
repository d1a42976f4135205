import type { ConnectionCheck, ConnectionTestResult } from '../../shared/domain/connection-test.js';
import { ConnectorError } from './types.js';

/**
 * Collects the checks of one "Test connection" run. The result is ok when no check failed, and its
 * summary is the first failure's message (what the operator must fix first) or the success line.
 */
export class ConnectionTestReport {
  readonly checks: ConnectionCheck[] = [];
  readonly facts: Record<string, string> = {};
  private readonly started = performance.now();

  add(check: ConnectionCheck): void {
    this.checks.push(check);
  }

  finish(successSummary: string): ConnectionTestResult {
    const failed = this.checks.find((check) => check.status === 'failed');
    return {
      ok: failed === undefined,
      summary: failed?.message ?? successSummary,
      checks: this.checks,
      facts: this.facts,
      durationMs: Math.round(performance.now() - this.started),
    };
  }
}

/** The failed check for a peer that could not be reached: a TLS problem is named as such. */
export function unreachableCheck(error: unknown, peer: string): ConnectionCheck {
  const tls = error instanceof ConnectorError && error.code === 'http.tls';
  return {
    id: tls ? 'tls' : 'reachable',
    label: tls ? 'TLS certificate' : `${peer} reachable`,
    status: 'failed',
    message: connectorMessage(error),
  };
}

/** A connector error's own (operator-readable) message; anything else stays generic. */
export function connectorMessage(error: unknown): string {
  return error instanceof ConnectorError ? error.message : 'Unexpected error while testing the connection.';
}
