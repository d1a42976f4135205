import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import { startRealOdoo, type RealOdoo } from '../../peers/real-odoo/real-odoo.js';
import { prepareStage, stageProblem, teardownStage } from '../../peers/real-odoo/stage.js';
import type { Benchmark, Measure } from '../bench-types.js';
import {
  BATCH_SIZE,
  createOneByOne,
  patients,
  upsertInBatches,
  writeOneByOne,
  type Timer,
} from './odoo-real-passes.js';
import {
  checkProtocol,
  connectorFor,
  serversToMeasure,
  SERVER_VARIABLES,
  type ServerChoice,
} from './odoo-real-servers.js';
import { sideBySide, type SeriesMeasures } from './odoo-real-table.js';

/**
 * The Odoo connector against real Odoo servers, 17 (ODOO_SERVER_DIR) and 19 (ODOO19_SERVER_DIR) in
 * one run, each started in turn through the real-Odoo test harness and reached as its least-privilege
 * integration user with the connector on its natural protocol (JSON-RPC on 17, JSON-2 on 19: checked,
 * a wrong pick fails the bench). 2,000 res.partner per path, each server against its own baselines:
 *
 * - create: batched `load` upsert vs one `create` call per record;
 * - update, distinct values (each patient's phone changes): the upsert as the engine sends it
 *   (with the Odoo ids it recorded) and as plain `load` (no ids known: the path before the direct
 *   updates existed), each vs one `write` call per record;
 * - update, one shared change (every patient gets the same new job title, as when a mapping starts
 *   setting a constant): the same two upsert paths vs the same per-record `write` baseline.
 *
 * The two upsert paths of an update run batch by batch in turn on the same records, so they meet
 * the same database. One call at a time everywhere, through the same keep-alive client: the
 * ratios are batching alone. They depend on how busy the machine is, because a call's fixed cost
 * grows more under contention than a record's cost inside `load` (measured here: calm, one create
 * ≈ 30 ms vs ≈ 2 ms a record in a load, ratio ≈ 14; with other Odoo servers busy on the same two
 * cores, ≈ 79 ms vs ≈ 3.5 ms, ratio ≈ 22).
 */

const RECORDS = 2_000;
/** The per-call baselines take minutes; OSC_BENCH_ODOO_REAL_SINGLE makes them shorter while developing. */
const SINGLE = Math.min(RECORDS, Number(process.env.OSC_BENCH_ODOO_REAL_SINGLE ?? RECORDS) || RECORDS);

const rate = (count: number, timer: Timer): number => count / timer.seconds;
const timer = (): Timer => ({ seconds: 0 });

function measure(bench: string, value: number, baseline: number, note: string): Measure {
  return { bench, value, unit: 'records/s', baseline, ratio: value / baseline, better: 'higher', note };
}

/** Before/after update passes, batch by batch in turn; returns both timers. */
async function updateBothWays(
  odoo: OdooConnector,
  known: ReadonlyMap<string, string>,
  before: ReturnType<typeof patients>,
  after: ReturnType<typeof patients>,
): Promise<{ load: Timer; direct: Timer }> {
  const load = timer();
  const direct = timer();
  for (let start = 0; start < before.length; start += BATCH_SIZE) {
    await upsertInBatches(odoo, before.slice(start, start + BATCH_SIZE), load, false);
    await upsertInBatches(odoo, after.slice(start, start + BATCH_SIZE), direct, false, known);
  }
  return { load, direct };
}

/** Every path against one server; returns path → measure, named after the server's major version. */
async function measureAll(odoo: RealOdoo): Promise<SeriesMeasures> {
  const connector = connectorFor(odoo);
  try {
    const protocol = await checkProtocol(connector, odoo.series);
    await connector.create('res.partner', [{ name: 'Warm-up' }]);

    const createSingle = timer();
    const singleRecords = patients('single', SINGLE);
    const singleIds = await createOneByOne(connector, singleRecords, createSingle);
    const createLoad = timer();
    const known = await upsertInBatches(connector, patients('batch', RECORDS), createLoad, true);

    const writeSingle = timer();
    await writeOneByOne(
      connector,
      singleIds,
      patients('single', SINGLE, { phone: '+32 2 000' }),
      writeSingle,
    );
    const phones = (version: string) =>
      patients('batch', RECORDS).map((record, index) => ({
        ...record,
        payload: { ...record.payload, phone: `+32 ${version} ${index}` },
      }));
    const distinct = await updateBothWays(connector, known, phones('1'), phones('2'));
    // Only the job title changes (the phones stay as the last pass left them).
    const titled = (title: string) =>
      phones('2').map((record) => ({ ...record, payload: { ...record.payload, function: title } }));
    const shared = await updateBothWays(connector, known, titled('Nurse'), titled('Doctor'));

    const landed = await odoo.adminRpc.searchCount('res.partner', [
      ['email', '=like', 'batch%@clinic.example'],
      ['function', '=', 'Doctor'],
    ]);
    if (landed !== RECORDS)
      throw new Error(`odoo-real: ${landed} of ${RECORDS} partners hold the last update`);

    const perCall = (n: number) => `${n} records, one call each`;
    const writeBaseline = rate(SINGLE, writeSingle);
    const named = (path: string): string => `odoo-real-${odoo.series.split('.')[0] ?? ''}-${path}`;
    const note = (text: string): string => `Odoo ${odoo.series} over ${protocol}: ${text}`;
    const measures: [string, number, number, string][] = [
      [
        'create',
        rate(RECORDS, createLoad),
        rate(SINGLE, createSingle),
        `load batches of ${BATCH_SIZE} (${RECORDS} records) vs create: ${perCall(SINGLE)}; target ratio >= 20`,
      ],
      [
        'update',
        rate(RECORDS, distinct.direct),
        writeBaseline,
        `each record a new phone; upsert with the ids the engine knows vs write: ${perCall(SINGLE)}; target ratio >= 4`,
      ],
      [
        'update-load',
        rate(RECORDS, distinct.load),
        writeBaseline,
        'the same update through load alone (no ids known: the path before direct updates)',
      ],
      [
        'update-shared',
        rate(RECORDS, shared.direct),
        writeBaseline,
        'every record the same new job title; upsert with known ids (grouped write(ids, vals))',
      ],
      [
        'update-shared-load',
        rate(RECORDS, shared.load),
        writeBaseline,
        'the same shared change through load alone (no ids known)',
      ],
    ];
    return {
      label: `${odoo.series} ${protocol}`,
      byPath: new Map(
        measures.map(([path, value, baseline, text]) => [
          path,
          measure(named(path), value, baseline, note(text)),
        ]),
      ),
    };
  } finally {
    await connector.close();
  }
}

const PATHS = ['create', 'update', 'update-load', 'update-shared', 'update-shared-load'];

/** One server from stage to teardown: its own template, API keys and Odoo process. */
async function measureServer(server: ServerChoice): Promise<SeriesMeasures | null> {
  const problem = stageProblem(server.env);
  if (problem !== null) {
    process.stdout.write(`odoo-real did not run against ${server.variable}: ${problem}\n`);
    return null;
  }
  const stage = await prepareStage(server.env);
  let odoo: RealOdoo | null = null;
  try {
    process.stdout.write(`odoo-real: measuring Odoo ${stage.series} (${server.variable})\n`);
    odoo = await startRealOdoo(stage);
    return await measureAll(odoo);
  } finally {
    await odoo?.stop();
    teardownStage(stage);
  }
}

export const odooRealBench: Benchmark = {
  name: 'odoo-real',
  description:
    'Real Odoo 17 (ODOO_SERVER_DIR, JSON-RPC) and 19 (ODOO19_SERVER_DIR, JSON-2), one after the other: batched upsert vs one create / one write per call, 2,000 res.partner each',
  async run(): Promise<readonly Measure[]> {
    const servers = serversToMeasure();
    if (servers.length === 0) {
      process.stdout.write(`odoo-real did not run: set ${SERVER_VARIABLES.join(' and/or ')}\n`);
      return [];
    }
    // One server at a time: two Odoo servers on the same cores would measure each other.
    const series: SeriesMeasures[] = [];
    for (const server of servers) {
      const measured = await measureServer(server);
      if (measured !== null) series.push(measured);
    }
    if (series.length > 0) process.stdout.write(`\n${sideBySide(PATHS, series)}\n\n`);
    // Path by path, each server's figure beside the other's.
    return PATHS.flatMap((path) => series.flatMap((one) => one.byPath.get(path) ?? []));
  },
};
