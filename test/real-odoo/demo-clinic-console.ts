import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Flow } from '../../shared/domain/flow.js';
import type { RecordFailure, Run } from '../../shared/domain/run.js';
import { FINISHED_RUN_STATUSES } from '../../shared/domain/run.js';
import { HttpSession } from '../support/test-http.js';

/**
 * The demo's console as its operators use it: signed in over HTTP as IT staff (Run now, runs,
 * failures), and `osc run-flow` from a terminal against the same data folder.
 */

export class DemoConsole {
  private constructor(
    private readonly session: HttpSession,
    private readonly flows: readonly Flow[],
  ) {}

  static async signIn(url: string, itPassword: string): Promise<DemoConsole> {
    const session = new HttpSession(url);
    const login = await session.op('session.login', { username: 'it', password: itPassword });
    if (!login.json.ok) throw new Error(`cannot sign in as it: ${JSON.stringify(login.json)}`);
    const flows = await DemoConsole.value<Flow[]>(session, 'flows.list', {});
    return new DemoConsole(session, flows);
  }

  private static async value<T>(session: HttpSession, name: string, input: unknown): Promise<T> {
    const answer = await session.op(name, input);
    if (!answer.json.ok) throw new Error(`${name}: ${JSON.stringify(answer.json)}`);
    return answer.json.value as T;
  }

  flow(name: string): Flow {
    const flow = this.flows.find((candidate) => candidate.name === name);
    if (flow === undefined) throw new Error(`the demo has no flow "${name}"`);
    return flow;
  }

  /** Run now, as the Flows page's button does, and wait (bounded) for the run to finish. */
  async runNow(flowName: string, timeoutMs = 240_000): Promise<Run> {
    const queued = await DemoConsole.value<Run>(this.session, 'flows.runNow', { id: this.flow(flowName).id });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await DemoConsole.value<Run>(this.session, 'runs.get', { id: queued.id });
      if (FINISHED_RUN_STATUSES.includes(run.status)) return run;
      if (Date.now() > deadline) throw new Error(`run ${run.id} of "${flowName}" still ${run.status}`);
      await sleep(250);
    }
  }

  /** Every recorded failure of every run of the flow (the schedule may have run it too). */
  async failures(flowName: string): Promise<RecordFailure[]> {
    const runs = await DemoConsole.value<Run[]>(this.session, 'runs.list', {
      flowId: this.flow(flowName).id,
      limit: 500,
    });
    const all: RecordFailure[] = [];
    for (const run of runs)
      all.push(
        ...(await DemoConsole.value<RecordFailure[]>(this.session, 'runs.failures', {
          id: run.id,
          limit: 500,
        })),
      );
    return all;
  }
}

const OSC = resolve(import.meta.dirname, '../../dist/main/osc.cjs');
const run = promisify(execFile);

export interface CliRun {
  readonly status: string;
  readonly counts: { read: number; mapped: number; unchanged: number; written: number; failed: number };
  readonly output: string;
}

/** Refused because the demo's own schedule is running that flow right now: worth another try. */
class FlowBusy extends Error {}

/**
 * `osc run-flow NAME [--backfill-from DATE] --data-dir DIR`, the built CLI as an operator types it.
 * The demo's schedules keep running beside it, so a refusal by the flow's lease is retried.
 */
export async function oscRunFlow(dataDir: string, flowName: string, backfillFrom?: string): Promise<CliRun> {
  const policy = retry(
    handleWhen((error) => error instanceof FlowBusy),
    { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 1000, maxDelay: 8000 }) },
  );
  return policy.execute(async () => {
    const args = [OSC, 'run-flow', flowName, '--data-dir', dataDir];
    if (backfillFrom !== undefined) args.push('--backfill-from', backfillFrom);
    let output: string;
    try {
      output = (await run(process.execPath, args, { timeout: 240_000 })).stdout;
    } catch (error) {
      // Exit code 1 (finished with failed records) is an answer, not an error.
      const stdout = (error as { stdout?: unknown }).stdout;
      output = typeof stdout === 'string' ? stdout : '';
      if (/Another engine is running this flow/.test(output)) throw new FlowBusy(output);
      if ((error as { code?: unknown }).code !== 1) throw error;
    }
    const match = /^(\S+): read (\d+), mapped (\d+), unchanged (\d+), written (\d+), failed (\d+)/m.exec(
      output,
    );
    if (match === null) throw new Error(`osc run-flow printed no counts:\n${output}`);
    const [, status = '', read, mapped, unchanged, written, failed] = match;
    return {
      status,
      counts: {
        read: Number(read),
        mapped: Number(mapped),
        unchanged: Number(unchanged),
        written: Number(written),
        failed: Number(failed),
      },
      output,
    };
  });
}
