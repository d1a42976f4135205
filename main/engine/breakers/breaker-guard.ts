import { abortableSleep } from '../../connectors/http/retry-timing.js';
import { ConnectorError, type Source, type Target, type TargetOutcome } from '../../connectors/types.js';
import type { ConnectionBreakers } from './connection-breakers.js';

/**
 * The connection's breaker is open: the run stops here, at its last committed batch, with its cursor
 * kept; it is queued again when a probe closes the breaker. Not a failure of the run.
 */
export class ConnectionDown extends Error {
  constructor(
    readonly connectionId: string,
    readonly role: 'source' | 'target',
    readonly since: string,
  ) {
    super(`The ${role} connection is down.`);
    this.name = 'ConnectionDown';
  }
}

export interface BreakerGuardOptions {
  readonly breakers: ConnectionBreakers;
  readonly connectionId: string;
}

function down(options: BreakerGuardOptions, role: 'source' | 'target'): ConnectionDown {
  return new ConnectionDown(options.connectionId, role, options.breakers.get(options.connectionId).since);
}

function transientMessage(error: unknown): string | null {
  if (!(error instanceof ConnectorError) || error.class !== 'transient') return null;
  return `${error.code}: ${error.message}`;
}

/** Waits between source reads that failed transiently, until the breaker opens (then the run waits). */
const SOURCE_RETRY_MS = [500, 2000, 8000];

/**
 * The source, with every page read counted by the connection's breaker: a read that failed
 * transiently after the connector's own retries counts as a failure; a page that arrived counts as a
 * success. Until the breaker opens, the read is tried again from the last page handed out (its cursor)
 * after a pause, so a source outage never fails the run: either the source answers again and the run
 * goes on, or the breaker opens and the run stops waiting, with its cursor kept.
 */
export function breakerAwareSource(
  source: Source,
  options: BreakerGuardOptions & { readonly retryMs?: readonly number[] },
): Source {
  const retryMs = options.retryMs ?? SOURCE_RETRY_MS;
  return {
    system: source.system,
    async *extract(request) {
      let cursor = request.cursor;
      for (let attempt = 0; ; attempt += 1) {
        if (options.breakers.isOpen(options.connectionId)) throw down(options, 'source');
        try {
          for await (const page of source.extract({ ...request, cursor })) {
            options.breakers.succeeded(options.connectionId);
            if (page.cursor !== null) cursor = page.cursor;
            yield page;
          }
          return;
        } catch (error) {
          const transient = transientMessage(error);
          if (transient === null) throw error;
          if (options.breakers.failed(options.connectionId, transient)) throw down(options, 'source');
          await abortableSleep(retryMs[Math.min(attempt, retryMs.length - 1)] ?? 1000, request.signal);
        }
      }
    },
  };
}

/**
 * The target, with every whole write counted by the connection's breaker: a write that threw a
 * transient error, or whose every record failed transiently (the target is down, not the data wrong),
 * is a failure; any other answer a success. Once the breaker is open no write is sent: the pipeline's
 * retries of the chunk end at once and the run stops at its last committed batch.
 */
export function breakerAwareTarget(target: Target, options: BreakerGuardOptions): Target {
  return {
    system: target.system,
    async write(request) {
      if (options.breakers.isOpen(options.connectionId)) throw down(options, 'target');
      let outcomes: TargetOutcome[];
      try {
        outcomes = await target.write(request);
      } catch (error) {
        const transient = transientMessage(error);
        if (transient !== null && options.breakers.failed(options.connectionId, transient)) {
          throw down(options, 'target');
        }
        throw error;
      }
      const first = outcomes[0];
      const allTransient =
        first !== undefined &&
        outcomes.every((outcome) => !outcome.ok && outcome.error.class === 'transient');
      if (!allTransient || first.ok) {
        options.breakers.succeeded(options.connectionId);
        return outcomes;
      }
      if (options.breakers.failed(options.connectionId, `${first.error.code}: ${first.error.message}`)) {
        throw down(options, 'target');
      }
      return outcomes;
    },
  };
}
