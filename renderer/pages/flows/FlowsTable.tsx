import { useTable } from '@tanstack/react-table';
import { Button } from 'react-aria-components';
import type { Flow } from '../../../shared/domain/flow.js';
import type { FlowCommand } from './flow-commands.js';
import { flowColumns, flowFeatures, type FlowRow } from './flow-columns.js';
import { needsAttention } from './flow-rows.js';

/** Which row actions the operator's roles allow (the server checks again). */
export interface FlowActionsAllowed {
  readonly runNow: boolean;
  readonly setEnabled: boolean;
  readonly backfill: boolean;
  readonly edit: boolean;
  readonly controlRun: boolean;
}

interface FlowsTableProps {
  readonly rows: readonly FlowRow[];
  readonly allowed: FlowActionsAllowed;
  /** The flow whose runs are open below the table, marked in its row. */
  readonly openFlowId: string | null;
  readonly onCommand: (command: FlowCommand) => void;
  readonly onBackfill: (flow: Flow) => void;
  readonly onEdit: (flow: Flow) => void;
  readonly onShowRuns: (flow: Flow) => void;
}

function RowActions({
  row,
  allowed,
  onCommand,
  onBackfill,
  onEdit,
  onShowRuns,
}: Omit<FlowsTableProps, 'rows' | 'openFlowId'> & { readonly row: FlowRow }) {
  const { flow, active } = row;
  const name = flow.name;
  return (
    <div className="row-actions-wrap">
      {allowed.runNow && active === null && (
        <Button
          className="button button-small"
          aria-label={`Run now: ${name}`}
          onPress={() => onCommand({ kind: 'run-now', flow })}
        >
          Run now
        </Button>
      )}
      {allowed.controlRun && active !== null && active.status === 'running' && (
        <Button
          className="button button-small"
          aria-label={`Pause run: ${name}`}
          onPress={() => onCommand({ kind: 'pause-run', runId: active.runId })}
        >
          Pause run
        </Button>
      )}
      {allowed.controlRun && active !== null && active.status === 'paused' && (
        <Button
          className="button button-small"
          aria-label={`Resume run: ${name}`}
          onPress={() => onCommand({ kind: 'resume-run', runId: active.runId })}
        >
          Resume run
        </Button>
      )}
      {allowed.controlRun && active !== null && (
        <Button
          className="button button-small button-danger"
          aria-label={`Cancel run: ${name}`}
          onPress={() => onCommand({ kind: 'cancel-run', runId: active.runId })}
        >
          Cancel run
        </Button>
      )}
      {allowed.setEnabled && (
        <Button
          className="button button-small"
          aria-label={`${flow.enabled ? 'Pause' : 'Resume'}: ${name}`}
          onPress={() => onCommand({ kind: 'set-enabled', flow, enabled: !flow.enabled })}
        >
          {flow.enabled ? 'Pause' : 'Resume'}
        </Button>
      )}
      {allowed.backfill && (
        <Button
          className="button button-small"
          aria-label={`Backfill from…: ${name}`}
          onPress={() => onBackfill(flow)}
        >
          Backfill from…
        </Button>
      )}
      {allowed.edit && (
        <Button className="button button-small" aria-label={`Edit: ${name}`} onPress={() => onEdit(flow)}>
          Edit
        </Button>
      )}
      <Button className="button button-small" aria-label={`Runs: ${name}`} onPress={() => onShowRuns(flow)}>
        Runs
      </Button>
    </div>
  );
}

/** The flows with their state, last run or live progress, freshness, and the allowed actions. */
export function FlowsTable(props: FlowsTableProps) {
  const table = useTable({ features: flowFeatures, columns: flowColumns, data: props.rows });
  return (
    <div className="table-scroll">
      <table className="data-table flows-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const flowRow = row.original;
            return (
              <tr
                key={flowRow.flow.id}
                className={needsAttention(flowRow) ? 'row-warning' : undefined}
                aria-current={flowRow.flow.id === props.openFlowId ? 'true' : undefined}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
                <td className="row-actions">
                  <RowActions
                    row={flowRow}
                    allowed={props.allowed}
                    onCommand={props.onCommand}
                    onBackfill={props.onBackfill}
                    onEdit={props.onEdit}
                    onShowRuns={props.onShowRuns}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
