import { ConnectorError, type Source, type Target, type TargetOutcome } from '../../connectors/types.js';

/**
 * The peer refused the connection's login or its user's rights (an expired or revoked API key, a
 * changed password, a model the user may not write): every record of the run would fail the same
 * way, and so would every scheduled run after it. The run stops
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
 * The target, with a refusal of the connection's login or rights turned into CredentialsRefused:
 * when the connector threw it, or answered it for every record of the call (an expired key, a model
 * the user may not write). A refusal of only some records (a record rule on one company's invoice)
 * stays a failure of those records; the others go on.
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
      const first = outcomes[0];
      const allRefused =
        first !== undefined &&
        outcomes.every((outcome) => !outcome.ok && outcome.error.class === 'authentication');
      if (allRefused && !first.ok) {
        throw new CredentialsRefused(connectionId, 'target', first.error.code, first.error.message);
      }
      return outcomes;
    },
  };
}
