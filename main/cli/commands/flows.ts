import { FlowsRepo } from '../../engine/store/flows-repo.js';
import { RunsRepo } from '../../engine/store/runs-repo.js';
import { openStoreReadOnly } from '../../store/open-store-read-only.js';

/** `osc flows`: every flow with its state, schedule and last run's counts. Exit 0, or 2 when the store cannot be read. */
export function flowsCommand(
  args: { readonly dataDir: string },
  out: NodeJS.WritableStream,
): Promise<number> {
  let db;
  try {
    db = openStoreReadOnly(args.dataDir);
  } catch (error) {
    out.write(`cannot open the store: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
  try {
    const flows = new FlowsRepo(db).list();
    const runs = new RunsRepo(db);
    if (flows.length === 0) out.write('no flows\n');
    for (const flow of flows) {
      const schedule =
        flow.schedule.kind === 'cron' ? `cron ${flow.schedule.expression}` : flow.schedule.kind;
      const last = flow.lastRunId === null ? null : runs.get(flow.lastRunId);
      const lastText =
        last === null
          ? 'never run'
          : `last run ${last.status} ${last.finishedAt ?? last.queuedAt}: read ${last.counts.read}, written ${last.counts.written}, unchanged ${last.counts.unchanged}, failed ${last.counts.failed}`;
      out.write(`${flow.id}  ${flow.name}  [${flow.state}]  ${schedule}  ${lastText}\n`);
    }
    return Promise.resolve(0);
  } finally {
    db.close();
  }
}
