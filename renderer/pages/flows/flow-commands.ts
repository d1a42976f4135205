import type { OperationFunctions } from '../../../shared/contract/bridge.js';
import type { Result } from '../../../shared/contract/result.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run } from '../../../shared/domain/run.js';
import { flowsStore } from '../../stores/flows-store.js';
import { runsStore } from '../../stores/runs-store.js';

/** What a flow or run button asks the server; each puts the answer into the stores at once. */
export type FlowCommand =
  | { readonly kind: 'run-now'; readonly flow: Flow }
  | { readonly kind: 'set-enabled'; readonly flow: Flow; readonly enabled: boolean }
  | { readonly kind: 'backfill'; readonly flow: Flow; readonly from: string }
  | { readonly kind: 'pause-run' | 'resume-run' | 'cancel-run'; readonly runId: string };

function showRun(result: Result<Run>): string | null {
  if (!result.ok) return result.error.message;
  flowsStore.getState().upsertRun(result.value);
  runsStore.getState().upsertRun(result.value);
  return null;
}

/** Runs one command; returns the server's message when it refused, null when it went through. */
export async function runFlowCommand(ops: OperationFunctions, command: FlowCommand): Promise<string | null> {
  switch (command.kind) {
    case 'run-now':
      return showRun(await ops['flows.runNow']({ id: command.flow.id }));
    case 'backfill':
      return showRun(await ops['flows.backfill']({ id: command.flow.id, from: command.from }));
    case 'pause-run':
      return showRun(await ops['runs.pause']({ id: command.runId }));
    case 'resume-run':
      return showRun(await ops['runs.resume']({ id: command.runId }));
    case 'cancel-run':
      return showRun(await ops['runs.cancel']({ id: command.runId }));
    case 'set-enabled': {
      const result = await ops['flows.setEnabled']({ id: command.flow.id, enabled: command.enabled });
      if (!result.ok) return result.error.message;
      flowsStore.getState().upsertFlow(result.value);
      return null;
    }
  }
}
