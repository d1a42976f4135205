import type { LiveEvent } from '../../../shared/contract/events.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { RunTrigger } from '../../../shared/domain/run.js';
import type { Source, Target } from '../../connectors/types.js';
import type { Store } from '../../store/types.js';
import type { SecretReader } from '../../vault/types.js';
import type { BreakerPolicy } from '../breakers/breaker-policy.js';
import type { ConnectionProbe } from '../breakers/breaker-probes.js';
import type { Endpoint } from '../connectors/flow-endpoints.js';
import type { FallbackWorkApi, FallbackWorkDeps } from '../fallback/fallback-types.js';
import type { AutoRetryPolicy } from '../store/retry-policy.js';

/** How an EngineCore is set up (engine-core.ts): the worker's, a test's, or the command line's. */
export interface EngineCoreOptions {
  readonly store: Store;
  readonly secrets: SecretReader;
  readonly emit: (event: LiveEvent) => void;
  /** Audit rows the engine appended (the serving side republishes them as live events). */
  readonly onAudit?: (entries: readonly AuditEntry[]) => void;
  /** What the engine did on its own (a crashed run resumed, a wait for a left call), for the log. */
  readonly log?: (message: string) => void;
  readonly ownerId?: string;
  readonly maxConcurrentRuns?: number;
  /** How long a flow's lease holds without renewal; renewed every third of it while a run goes. */
  readonly leaseMs?: number;
  /** How often unfinished runs that no live engine runs are looked for; 0: only at recover(). */
  readonly superviseEveryMs?: number;
  readonly retryDelaysMs?: readonly number[];
  /** Automatic retry of transient exceptions (limit and backoff); the console default otherwise. */
  readonly autoRetry?: AutoRetryPolicy;
  /** How often due automatic retries (and due fixes) are looked for once recovered; 0: never on a clock. */
  readonly autoRetryEveryMs?: number;
  /** Backoff of exceptions awaiting a referenced record (default 1 min growing to 1 h). */
  readonly referenceBackoff?: AutoRetryPolicy;
  readonly onBatchCommitted?: (runId: string, batchNo: number) => void;
  /** The connections' circuit breakers: when one opens and how its probes back off (a default otherwise). */
  readonly breakerPolicy?: BreakerPolicy;
  /** How often open breakers whose backoff has passed are probed, once recovered; 0: never on a clock. */
  readonly breakerProbeEveryMs?: number;
  /** How a probe tests a connection; the connection's own Test connection by default (tests script it). */
  readonly probe?: ConnectionProbe;
  /** Manual fallback (the worker passes main/engine/fallback's FallbackWork); without it, entries are refused. */
  readonly fallback?: (deps: FallbackWorkDeps) => FallbackWorkApi;
  readonly endpoints?: {
    source?: (connectionId: string) => Endpoint<Source>;
    target?: (connectionId: string) => Endpoint<Target>;
  };
}

export interface EnqueueRequest {
  readonly flowId: string;
  readonly trigger: RunTrigger;
  readonly requestedBy: string;
  readonly backfillFrom?: string | null;
}
