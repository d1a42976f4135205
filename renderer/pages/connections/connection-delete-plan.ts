import type { OperationFunctions } from '../../../shared/contract/bridge.js';
import type { Result } from '../../../shared/contract/result.js';
import type { ConnectionUsage } from '../../../shared/domain/connection-usage.js';

/** What the dialog knows about the flows that use the connection, asked of the server on open. */
export type UsagesState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly usages: readonly ConnectionUsage[] }
  | { readonly status: 'failed'; readonly message: string };

/** The server's answer to connections.usages, as the dialog shows it. */
export function usagesStateOf(result: Result<readonly ConnectionUsage[]>): UsagesState {
  return result.ok
    ? { status: 'loaded', usages: result.value }
    : { status: 'failed', message: result.error.message };
}

/** The flows the delete would pause; none while they are unknown (the server refuses then, naming them). */
export function usagesOf(state: UsagesState): readonly ConnectionUsage[] {
  return state.status === 'loaded' ? state.usages : [];
}

/** The confirm button says what it does: a plain delete, or the explicit choice to pause the flows too. */
export function deleteLabel(state: UsagesState): string {
  const count = usagesOf(state).length;
  if (count === 0) return 'Delete connection';
  return count === 1 ? 'Pause this flow and delete' : `Pause these ${count} flows and delete`;
}

/**
 * Deletes with pauseFlows only when the operator was shown flows to pause and chose to: with none
 * shown it is a plain delete, which the server refuses (naming them) if flows came meanwhile.
 */
export function deleteConnection(
  ops: OperationFunctions,
  id: string,
  state: UsagesState,
): Promise<Result<{ readonly id: string; readonly pausedFlows: readonly string[] }>> {
  const seen = usagesOf(state).length;
  return ops['connections.delete'](seen > 0 ? { id, pauseFlows: true } : { id });
}
