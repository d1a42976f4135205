import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBudgetMs } from '../../main/engine/runner/guarded-target.js';
import type { Flow } from '../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run } from '../../shared/domain/run.js';
import { spawnEmulators, type EmulatorsProcess } from '../peers/demo/spawn-emulators.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { makeTempDir } from '../support/temp-dir.js';
import { committedRecords, CrashConsole, seededRandom, seedInvoiceFlow } from './crash-resume-env.js';
import { startCountingProxy, type CountingProxy } from './crash-resume-proxy.js';

/**
 * SIGKILL of the real `osc serve` process at random moments of a large run into real Odoo customer
 * invoices (17 over JSON-RPC, 19 over JSON-2), as the least-privilege integration user. The console
 * reaches Odoo through a counting proxy, so the test knows which protocol did the work: 19 still
 * answers JSON-RPC, and a console that silently fell back to it would pass every other check. After each kill the console is started
 * again on the same data folder and must resume by itself. At the end, read back from Odoo as admin:
 * every record exactly once, the runs finished by themselves with counts adding up to exactly N (a
 * resume that started from scratch would read more), runs.list and runs.cancel agreeing, and no
 * already-committed invoice re-written beyond the batches that were in flight at the kills, counted
 * both from Odoo's write dates and per external ID on the wire (no invoice created twice, at most
 * records + kills × batch invoice writes).
 *
 *   OSC_CRASH_KILLS (5), OSC_CRASH_RECORDS (3000), OSC_CRASH_BATCH (100), OSC_CRASH_SEED (random)
 *   OSC_CRASH_ODOO_USER=admin uses the admin key instead of the integration user.
 */
const KILLS = Number(process.env.OSC_CRASH_KILLS ?? 5);
const RECORDS = Number(process.env.OSC_CRASH_RECORDS ?? 3000);
const BATCH = Number(process.env.OSC_CRASH_BATCH ?? 100);
const SEED = Number(process.env.OSC_CRASH_SEED ?? Math.floor(Math.random() * 1_000_000));
const MODULE = 'osc_crash';
/** Whole test, kills and final wait included: bounded so a stuck resume fails instead of hanging CI. */
const BUDGET_MS = 120_000 + RECORDS * 60 + KILLS * 20_000;
/**
 * The longest a resumed run may take to commit its first batch after the kill: the write budget the
 * engine itself gives one write (the killed write may still run in Odoo and hold its rows; the resumed
 * one waits on them). 30 s was passed by 1.9 s once on a loaded machine, with a 4.3 s batch.
 */
const MAX_RESUME_MS = writeBudgetMs(30_000);
const POLL_MS = 100;
/** With many kills (npm run test:hard), a share of them hit the console while it recovers. */
const EARLY_KILL_SHARE = KILLS > 5 ? 0.25 : 0;

const fhirToken = randomBytes(20).toString('hex');
const temp = makeTempDir('osc-crash-');
let odoo: RealOdoo;
let emulators: EmulatorsProcess;
let console_: CrashConsole;
let flow: Flow;
let proxy: CountingProxy;
/** What beforeAll got to start, for afterAll (it may have failed part-way). */
const started: {
  odoo?: RealOdoo;
  proxy?: CountingProxy;
  emulators?: EmulatorsProcess;
  console?: CrashConsole;
} = {};

beforeAll(async () => {
  odoo = started.odoo = await startRealOdoo();
  proxy = started.proxy = await startCountingProxy(odoo.url);
  emulators = started.emulators = await spawnEmulators({
    odooApiKey: randomBytes(20).toString('hex'),
    fhirToken,
    bulkChargeItems: RECORDS,
    fhirSeed: 'empty',
    maxCount: Math.max(BATCH, 100),
  });
  console_ = started.console = new CrashConsole(temp.dir);
  await console_.start(true);
  const user = process.env.OSC_CRASH_ODOO_USER === 'admin' ? odoo.admin : odoo.integration;
  flow = await seedInvoiceFlow(console_.operators, {
    odoo: { url: proxy.url, database: odoo.database, login: user.login, key: user.key, module: MODULE },
    fhir: { url: emulators.fhirUrl, token: fhirToken },
    batchSize: BATCH,
  });
});

afterAll(async () => {
  await started.console?.stop();
  await started.proxy?.close();
  await started.emulators?.close();
  await started.odoo?.stop();
  if (process.env.OSC_CRASH_KEEP === '1') {
    writeFileSync(join(temp.dir, 'serve-logs.txt'), started.console?.logTail(Number.MAX_SAFE_INTEGER) ?? '');
    console.log(`crash-resume data folder kept: ${temp.dir}`);
  } else temp.cleanup();
});

/** JSON-2 starts with 19; before it the console must speak JSON-RPC. */
const overJson2 = (): boolean => Number.parseFloat(odoo.series) >= 19;

/** ORM calls the console sent so far over the server's own protocol. */
function naturalCalls(): number {
  const traffic = proxy.traffic();
  return overJson2() ? traffic.json2 : traffic.jsonRpcObject;
}

const runsOfFlow = (): Promise<readonly Run[]> =>
  console_.operators.it.value('runs.list', { flowId: flow.id, limit: 500 });

/** Polls until `done` holds; bounded by the test's overall deadline. */
async function until<T>(deadline: number, what: string, probe: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) {
      const runs = await runsOfFlow().catch(() => []);
      throw new Error(
        `${what}: still waiting at the deadline. Runs: ${JSON.stringify(runs.map((run) => [run.status, run.trigger, run.counts, run.error]))}\n${console_.logTail()}`,
      );
    }
    await sleep(POLL_MS);
  }
}

interface KillRecord {
  /** Killed shortly after the previous restart, not in the middle of the run's work. */
  readonly early: boolean;
  readonly committedAtRestart: number;
  /** ORM calls over the natural protocol when the console was killed. */
  readonly callsAtKill: number;
  readonly restartMs: number;
  /** Kill → the first batch committed by the restarted console. */
  resumeMs: number;
  /** Kill → a whole batch of records more than were durable at the kill (the killed batch redone). */
  batchMs: number;
}

describe(`SIGKILL of osc serve ${KILLS} times during a ${RECORDS}-invoice run into real Odoo`, () => {
  it('writes every record exactly once and finishes by itself', { timeout: BUDGET_MS + 60_000 }, async () => {
    const deadline = Date.now() + BUDGET_MS;
    const random = seededRandom(SEED);
    const started = performance.now();
    const first = await console_.operators.it.value('flows.runNow', { id: flow.id });
    const kills: KillRecord[] = [];
    let queuedBehind: Run | null = null;
    let committed = await until(deadline, 'the first batch', async () => {
      const count = committedRecords(await runsOfFlow());
      return count > 0 ? count : null;
    });
    const rate = (): number => committed / Math.max(1, (performance.now() - started) / 1000);

    // Some kills (hard mode) come right after a restart, while the console is still recovering.
    let early = false;
    for (let kill = 1; kill <= KILLS; kill += 1) {
      if (early) {
        await sleep(random() * 1500);
      } else {
        if (queuedBehind === null && kill >= 2) {
          // A run asked for while one is going waits in the queue: it must survive the crash and
          // start, and from where the flow is by then (at least one more batch goes in before the
          // kill), not from the cursor it saw when it was queued.
          queuedBehind = await console_.operators.it.value('flows.runNow', { id: flow.id });
          const before = committed;
          committed = await until(deadline, 'a batch after queueing a run', async () => {
            const count = committedRecords(await runsOfFlow());
            return count > before ? count : null;
          });
        }
        // Somewhere in the next slice of the remaining work, leaving room for the kills after it.
        const remainingSeconds = (RECORDS - committed) / Math.max(1, rate());
        const slice = Math.min(8, Math.max(0.5, remainingSeconds / (KILLS - kill + 2)));
        await sleep(random() * slice * 1000);
        const runs = await runsOfFlow();
        expect(
          runs.some((run) => run.status === 'running'),
          `kill ${kill} lands inside the run`,
        ).toBe(true);
      }
      const killedAt = performance.now();
      const callsAtKill = naturalCalls();
      await console_.kill();
      await console_.start();
      const restartMs = performance.now() - killedAt;
      const atRestart = committedRecords(await runsOfFlow());
      const record: KillRecord = {
        early,
        committedAtRestart: atRestart,
        callsAtKill,
        restartMs,
        resumeMs: Number.NaN,
        batchMs: Number.NaN,
      };
      kills.push(record);
      early = kill < KILLS && random() < EARLY_KILL_SHARE;
      if (early) continue;
      committed = await until(deadline, `progress after kill ${kill}`, async () => {
        const count = committedRecords(await runsOfFlow());
        return count > atRestart || count >= RECORDS ? count : null;
      });
      record.resumeMs = performance.now() - killedAt;
      const wholeBatch = Math.min(RECORDS, atRestart + BATCH);
      committed = await until(deadline, `a batch after kill ${kill}`, async () => {
        const count = committedRecords(await runsOfFlow());
        return count >= wholeBatch ? count : null;
      });
      record.batchMs = performance.now() - killedAt;
      if (committed >= RECORDS && kill < KILLS) throw new Error(`the run ended before kill ${kill + 1}`);
    }

    const tail = { at: performance.now(), committed };
    const finalRuns = await until(deadline, 'every run finished', async () => {
      const runs = await runsOfFlow();
      return runs.every((run) => FINISHED_RUN_STATUSES.includes(run.status)) ? runs : null;
    });
    const totalSeconds = (performance.now() - started) / 1000;
    // What one batch takes undisturbed, at the same time on the same machine: the yardstick for
    // how much a resume costs beyond redoing the batch that was in flight.
    const tailBatchMs = ((performance.now() - tail.at) / Math.max(1, RECORDS - tail.committed)) * BATCH;
    const report = {
      seed: SEED,
      records: RECORDS,
      batch: BATCH,
      totalSeconds: Number(totalSeconds.toFixed(1)),
      earlyKills: kills.filter((kill) => kill.early).length,
      restartMs: kills.map((kill) => Math.round(kill.restartMs)),
      resumeMs: kills.map((kill) => Math.round(kill.resumeMs)),
      batchMs: kills.map((kill) => Math.round(kill.batchMs)),
      callsAtKill: kills.map((kill) => kill.callsAtKill),
      traffic: proxy.traffic(),
      undisturbedBatchMs: Math.round(tailBatchMs),
      runs: finalRuns.map(
        (run) =>
          `${run.trigger}:${run.status}:r${run.counts.read}/w${run.counts.written}/u${run.counts.unchanged}/f${run.counts.failed}`,
      ),
    };
    console.log(`crash-resume ${JSON.stringify(report)}`);
    for (const run of finalRuns.filter((candidate) => candidate.counts.failed > 0)) {
      const failures = await console_.operators.it.value('runs.failures', {
        id: run.id,
        afterId: 0,
        limit: 5,
      });
      console.log(
        `crash-resume failures of ${run.id}: ${JSON.stringify(failures.map((f) => [f.errorCode, f.errorMessage]))}`,
      );
    }

    // The work went over the server's own protocol (JSON-2 on 19, JSON-RPC on 17), never the other,
    // and every console started after a kill in the middle of the work sent ORM calls over it too.
    const traffic = proxy.traffic();
    expect(
      overJson2() ? traffic.jsonRpcObject : traffic.json2,
      `ORM calls over the other protocol to Odoo ${odoo.series}`,
    ).toBe(0);
    expect(naturalCalls()).toBeGreaterThanOrEqual(RECORDS / BATCH);
    for (const [index, kill] of kills.entries()) {
      const next = kills[index + 1];
      if (next?.early === true) continue;
      expect(next?.callsAtKill ?? naturalCalls(), `ORM calls after restart ${index + 1}`).toBeGreaterThan(
        kill.callsAtKill,
      );
    }

    // Every record exactly once in Odoo, read back as admin (the integration user cannot read
    // ir.model.data): N invoices and N invoice lines carry the flow's external IDs, no name twice,
    // and no invoice exists without one (a duplicate created under a lost external ID).
    const xmlIds = await odoo.adminRpc.searchRead(
      'ir.model.data',
      [['module', '=', MODULE]],
      ['name', 'model'],
    );
    const names = (model: string): string[] =>
      xmlIds.filter((row) => row.model === model).map((row) => String(row.name));
    expect(names('account.move')).toHaveLength(RECORDS);
    expect(new Set(names('account.move')).size).toBe(RECORDS);
    expect(names('account.move.line')).toHaveLength(RECORDS);
    expect(new Set(names('account.move.line')).size).toBe(RECORDS);
    expect(await odoo.adminRpc.searchCount('account.move', [['move_type', '=', 'out_invoice']])).toBe(
      RECORDS,
    );
    expect(
      await odoo.adminRpc.searchCount('account.move.line', [
        ['move_id.move_type', '=', 'out_invoice'],
        ['display_type', '=', 'product'],
      ]),
    ).toBe(RECORDS);

    // Counted on the wire per record (Odoo's write_date below is only to the second): every
    // invoice was sent, none was created twice (one external ID, one Odoo id), and only the batches
    // in flight at a kill were sent again. A resume that forgot its checkpoint re-sends what was
    // committed before the kill (about half the run per kill), far beyond this bound.
    const sent = proxy.writes('account.move');
    const invoiceIds = [...sent.sent.keys()].filter((key) => key.startsWith(`${MODULE}.`));
    const totalSent = [...sent.sent.values()].reduce((total, times) => total + times, 0);
    const sentAgain = [...sent.sent.values()].filter((times) => times > 1).length;
    console.log(
      `crash-resume invoice writes on the wire: ${totalSent} for ${invoiceIds.length} records (${sentAgain} sent more than once, ${sent.rolledBack} in batches Odoo rolled back, ${sent.created} through create)`,
    );
    expect(invoiceIds).toHaveLength(RECORDS);
    const createdTwice = [...sent.idsOf].filter(([, ids]) => ids.size > 1).map(([key]) => key);
    expect(createdTwice, 'external IDs answered with two Odoo ids').toEqual([]);
    expect(sent.created, 'invoices sent through create instead of load by external ID').toBe(0);
    // A batch Odoo rolled back as a whole (it met the killed console's call still running there)
    // wrote nothing, so it does not count against the bound; a forgotten checkpoint re-sends
    // committed records that Odoo accepts, and those do.
    expect(
      totalSent - sent.rolledBack,
      'invoice writes Odoo kept: records + kills × batch at most',
    ).toBeLessThanOrEqual(RECORDS + KILLS * BATCH);
    expect(sent.rolledBack, 'rolled-back invoice writes: a few batches per kill at most').toBeLessThanOrEqual(
      KILLS * BATCH * 3,
    );

    // Odoo's own side of the same question: invoices written again after their creation. The wire
    // bound above is the exact guard (a resume from scratch re-sends about half the run per kill,
    // and a resume one checkpoint behind a whole batch more per kill, both accepted by Odoo). Under
    // heavy load the write dates show a few more rewrites than the wire's re-sends explain (CI:
    // 320 rewritten for 3 kills, 220 re-sent records; not understood yet), so this bound keeps a
    // batch of slack per kill and prints the rewritten invoices that were never sent twice.
    const invoices = await odoo.adminRpc.searchRead(
      'account.move',
      [['move_type', '=', 'out_invoice']],
      ['create_date', 'write_date'],
    );
    const resentIds = new Set(
      [...sent.sent].filter(([, times]) => times > 1).flatMap(([key]) => [...(sent.idsOf.get(key) ?? [])]),
    );
    const rewritten = invoices.filter((row) => row.write_date !== row.create_date);
    const notResent = rewritten.filter((row) => !resentIds.has(Number(row.id)));
    console.log(
      `crash-resume invoices written again after their creation: ${rewritten.length}, ${notResent.length} of them never sent twice on the wire ${JSON.stringify(notResent.slice(0, 5))}`,
    );
    expect(rewritten.length).toBeLessThanOrEqual(KILLS * BATCH * 2);

    // The runs ended by themselves and their counts add up to exactly N: each page counts once, when
    // its outcome is durable, so re-reading committed records would push the sum above N.
    const interrupted = finalRuns.filter((run) => run.status === 'interrupted').length;
    expect(interrupted).toBeGreaterThanOrEqual(kills.filter((kill) => !kill.early).length);
    expect(interrupted).toBeLessThanOrEqual(KILLS);
    expect(finalRuns.some((run) => run.status === 'succeeded')).toBe(true);
    expect(finalRuns.every((run) => run.status === 'succeeded' || run.status === 'interrupted')).toBe(true);
    const sum = (pick: (run: Run) => number): number =>
      finalRuns.reduce((total, run) => total + pick(run), 0);
    expect(sum((run) => run.counts.read)).toBe(RECORDS);
    expect(sum((run) => run.counts.failed)).toBe(0);
    expect(sum((run) => run.counts.written + run.counts.unchanged)).toBe(RECORDS);
    expect(finalRuns.map((run) => run.id)).toContain(first.id);
    if (queuedBehind !== null) {
      // The run queued before a crash was started after it (as the resume, or after it).
      const queuedId = queuedBehind.id;
      const queued = finalRuns.find((run) => run.id === queuedId);
      expect(queued?.startedAt).not.toBeNull();
      expect(['succeeded', 'interrupted']).toContain(queued?.status);
    }

    // runs.list and runs.cancel tell the same story: nothing is running, and every listed run is
    // refused by cancel as finished.
    for (const run of finalRuns) {
      const answer = await console_.operators.it.call('runs.cancel', { id: run.id });
      expect(answer.ok, `cancel of ${run.status} run ${run.id}`).toBe(false);
      if (!answer.ok) expect(answer.error.code).toBe('conflict');
    }

    // Each resume made progress within seconds of the kill, without anyone asking.
    for (const [index, kill] of kills.entries()) {
      if (!Number.isNaN(kill.resumeMs)) {
        expect(kill.resumeMs, `resume after kill ${index + 1}`).toBeLessThan(MAX_RESUME_MS);
      }
    }
  });
});
