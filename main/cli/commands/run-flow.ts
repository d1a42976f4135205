import { userInfo } from 'node:os';
import { storeIdentity } from '../../app/store-identity.js';
import { EngineCore } from '../../engine/runner/engine-core.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';
import { RunsRepo } from '../../engine/store/runs-repo.js';
import { openStore } from '../../store/open-store.js';
import { KeychainVault } from '../../vault/keychain-vault.js';
import type { SecretReader } from '../../vault/types.js';
import { FallbackWork } from '../../engine/fallback/fallback-work.js';

export interface RunFlowArgs {
  readonly dataDir: string;
  /** Flow id or exact name. */
  readonly flow: string;
  readonly backfillFrom?: string | undefined;
  /** Tests pass their own keychain service (as the core does). */
  readonly keychainService?: string | undefined;
  readonly secrets?: SecretReader;
}

/**
 * `osc run-flow NAME|ID`: runs one flow now, in this process (a CLI has no window to keep
 * responsive), and prints its counts. A flow that another console is running is refused by its
 * lease. Exit codes: 0 succeeded, 1 finished with failed records or failed, 2 could not start.
 */
export async function runFlowCommand(args: RunFlowArgs, out: NodeJS.WritableStream): Promise<number> {
  let store;
  try {
    store = openStore({ dataDir: args.dataDir });
  } catch (error) {
    out.write(`cannot open the store: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    const flows = new FlowsRepo(store.db);
    const flow = flows.get(args.flow) ?? flows.list().find((candidate) => candidate.name === args.flow);
    if (!flow) {
      out.write(`no flow "${args.flow}" (see osc flows)\n`);
      return 2;
    }
    const secrets =
      args.secrets ??
      new KeychainVault({ namespace: storeIdentity(store.db), service: args.keychainService });
    const engine = new EngineCore({
      store,
      secrets,
      emit: () => undefined,
      // Source records matched to manual fallback entries are not written twice from here either.
      fallback: (deps) => new FallbackWork(deps),
    });
    let runId: string;
    try {
      const run = engine.enqueue({
        flowId: flow.id,
        trigger: args.backfillFrom === undefined ? 'manual' : 'backfill',
        requestedBy: `cli:${userInfo().username}`,
        backfillFrom: args.backfillFrom === undefined ? null : new Date(args.backfillFrom).toISOString(),
      });
      runId = run.id;
    } catch (error) {
      out.write(`cannot run "${flow.name}": ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    out.write(`running "${flow.name}" (${runId})…\n`);
    await new Promise((resolve) => setImmediate(resolve));
    await engine.idle();
    const run = new RunsRepo(store.db).get(runId);
    if (!run) return 2;
    const c = run.counts;
    out.write(
      `${run.status}: read ${c.read}, mapped ${c.mapped}, unchanged ${c.unchanged}, written ${c.written}, failed ${c.failed}` +
        `${run.error === null ? '' : `\n${run.error}`}\n`,
    );
    return run.status === 'succeeded' ? 0 : 1;
  } finally {
    store.close();
  }
}
