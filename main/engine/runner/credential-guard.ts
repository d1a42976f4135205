import { ConnectorError, type Source, type Target, type TargetOutcome } from '../../connectors/types.js';

/**
 * The peer refused the stored credentials (an expired or revoked API key, a changed password): every
 * record of the run would fail the same way, and so would every scheduled run after it. The run stops
 * here without storing a failure per record and without moving the cursor (nothing is lost: the next
 * run reads the same records), and the connection is held until its secret is replaced or a Test
 * connection passes.
 */
export class CredentialsRefused extends Error {
  constructor(
    readonly connectionId: string,
    readonly role: 'source' | 'target',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialsRefused';
  }
}

function refusal(error: unknown, connectionId: string, role: 'source' | 'target'): CredentialsRefused | null {
  if (!(error instanceof ConnectorError) || error.class !== 'authentication') return null;
  return new CredentialsRefused(connectionId, role, error.code, error.message);
}

/** The source, with a credentials refusal while extracting turned into CredentialsRefused. */
export function refusalAwareSource(source: Source, connectionId: string): Source {
  return {
    system: source.system,
    async *extract(request) {
      try {
        yield* source.extract(request);
      } catch (error) {
        throw refusal(error, connectionId, 'source') ?? error;
      }
    },
  };
}

/**
 * The target, with a credentials refusal turned into CredentialsRefused: whether the connector threw
 * it or answered it as the outcome of records (one refused record is enough: the key is the same for
 * every record of the call).
 */
export function refusalAwareTarget(target: Target, connectionId: string): Target {
  return {
    system: target.system,
    async write(request) {
      let outcomes: TargetOutcome[];
      try {
        outcomes = await target.write(request);
      } catch (error) {
        throw refusal(error, connectionId, 'target') ?? error;
      }
      for (const outcome of outcomes) {
        if (!outcome.ok && outcome.error.class === 'authentication') {
          throw new CredentialsRefused(connectionId, 'target', outcome.error.code, outcome.error.message);
        }
      }
      return outcomes;
    },
  };
}
