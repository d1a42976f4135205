import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { Flow } from '../../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run } from '../../../shared/domain/run.js';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { REAL_ODOO17_LATENCY } from '../../peers/odoo/latency.js';
import { CrashConsole, seededRandom } from '../../real-odoo/crash-resume-env.js';
import { startSwitchableProxy, type SwitchableProxy } from '../../support/switchable-proxy.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { until } from '../../support/until.js';

/**
 * What the outage tests run against, as a user runs it: a real `osc serve` process (restartable
 * after a SIGKILL) on its own data folder, the FHIR emulator as the source of patients and the Odoo
 * emulator as the target (both in this process, so the test can inject faults and read Odoo's state),
 * Odoo behind a proxy that can refuse connections. The flow writes patient versions to res.partner:
 * several versions of the same key, so the order in which they land matters.
 */

export const MODULE = 'osc_outage';
/** The built CLI the console runs: OSC_OUTAGE_OSC points at another build (e.g. one broken on purpose). */
export const OSC_BUILD =
  process.env.OSC_OUTAGE_OSC ??
  process.env.OSC_CRASH_OSC ??
  resolve(import.meta.dirname, '../../../dist/main/osc.cjs');
const IDENTIFIER_SYSTEM = 'urn:osc-outage:key';

/** One source record: the `version`-th version of `key` (1-based), written to Odoo as `name`. */
export interface PatientVersion {
  readonly fhirId: string;
  readonly key: string;
  readonly version: number;
  readonly name: string;
}

/**
 * `records` patient versions over `keys` keys (every key at least once), in a shuffled order with
 * each key's versions in ascending order: later versions of a key land in later pages and chunks.
 */
export function patientVersions(records: number, keys: number, seed: number, from = 0): PatientVersion[] {
  const random = seededRandom(seed);
  const slots = Array.from({ length: keys }, (_, index) => index);
  // Repeats go to a third of the keys, so those keys carry several versions each.
  for (let extra = keys; extra < records; extra += 1) slots.push(Math.floor(random() * Math.ceil(keys / 3)));
  for (let index = slots.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [slots[index], slots[other]] = [slots[other]!, slots[index]!];
  }
  const seen = new Map<number, number>();
  return slots.map((slot, index) => {
    const version = (seen.get(slot) ?? 0) + 1;
    seen.set(slot, version);
    const key = `K${String(slot).padStart(4, '0')}`;
    return { fhirId: `pat-${from + index}`, key, version, name: `${key} v${version}` };
  });
}

/**
 * `count` newer versions of keys already put (and a few new keys), each a version after the newest
 * one so far: what the EHR changes while Odoo is down.
 */
export function laterVersions(
  before: readonly PatientVersion[],
  count: number,
  seed: number,
  from: number,
): PatientVersion[] {
  const random = seededRandom(seed);
  const newest = new Map<string, number>();
  for (const version of before)
    newest.set(version.key, Math.max(newest.get(version.key) ?? 0, version.version));
  const known = [...newest.keys()];
  return Array.from({ length: count }, (_, index) => {
    const key =
      random() < 0.2
        ? `K${String(9000 + index).padStart(4, '0')}`
        : known[Math.floor(random() * known.length)]!;
    const version = (newest.get(key) ?? 0) + 1;
    newest.set(key, version);
    return { fhirId: `pat-${from + index}`, key, version, name: `${key} v${version}` };
  });
}

/** The newest version of each key: what a clean run leaves in Odoo. */
export function finalNames(versions: readonly PatientVersion[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const version of versions) names.set(version.key, version.name);
  return names;
}

/** Every name written to a res.partner row that landed in the emulator, in the order it landed. */
export interface PartnerWrite {
  readonly id: number;
  readonly name: string;
}

/**
 * Logs each res.partner create and write the emulator applies (not the faults it serves: those
 * never reach its database). No load in these tests fails a row, so nothing logged is rolled back.
 */
function logPartnerWrites(odoo: OdooEmulator, onWrite: () => void): PartnerWrite[] {
  const log: PartnerWrite[] = [];
  const db = odoo.state.db;
  const create = db.create.bind(db);
  const write = db.write.bind(db);
  db.create = (model, values, uid, forcedId) => {
    const id = create(model, values, uid, forcedId);
    if (model === 'res.partner' && typeof values.name === 'string') {
      log.push({ id, name: values.name });
      onWrite();
    }
    return id;
  };
  db.write = (model, ids, values, uid) => {
    write(model, ids, values, uid);
    if (model === 'res.partner' && typeof values.name === 'string') {
      for (const id of ids) log.push({ id, name: values.name });
      onWrite();
    }
  };
  return log;
}

export interface OutageEnvOptions {
  readonly batchSize: number;
  /** The Odoo connection's timeoutMs (the timeout cases go past it). */
  readonly timeoutMs?: number;
  /** Latency like the real Odoo 17, so a run lasts long enough to be interrupted mid-way. */
  readonly realLatency?: boolean;
}

export class OutageEnv {
  readonly writes: PartnerWrite[];
  /** Every version put into the FHIR server so far, in order. */
  readonly versions: PatientVersion[] = [];
  private nextFhirId = 0;
  private readonly waiters: { count: number; done: () => void }[] = [];

  private constructor(
    readonly temp: ReturnType<typeof makeTempDir>,
    readonly odoo: OdooEmulator,
    readonly proxy: SwitchableProxy,
    readonly fhir: FhirEmulator,
    readonly console: CrashConsole,
    readonly flow: Flow,
  ) {
    this.writes = logPartnerWrites(odoo, () => this.wake());
  }

  /**
   * Resolves inside the emulator's call that landed the `count`-th write, before it answers (its
   * latency comes after the work): a fault injected then meets the very next request.
   */
  whenWritten(count: number): Promise<void> {
    return new Promise((done) => {
      if (this.writes.length >= count) done();
      else this.waiters.push({ count, done });
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (this.writes.length < waiter.count) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.done();
    }
  }

  static async start(options: OutageEnvOptions): Promise<OutageEnv> {
    const odooKey = randomBytes(20).toString('hex');
    const fhirToken = randomBytes(20).toString('hex');
    const temp = makeTempDir('osc-outage-');
    const odoo = await startOdooEmulator({
      apiKeys: [{ key: odooKey }],
      ...(options.realLatency === true ? { latency: REAL_ODOO17_LATENCY } : {}),
    });
    const proxy = await startSwitchableProxy(odoo.port);
    const fhir = await startFhirEmulator({ auth: { bearer: fhirToken }, seed: 'empty', maxCount: 500 });
    const console_ = new CrashConsole(temp.dir, OSC_BUILD);
    await console_.start(true);
    const flow = await seedPatientFlow(console_, {
      odoo: { url: proxy.url, database: odoo.state.database, key: odooKey, timeoutMs: options.timeoutMs },
      fhir: { url: fhir.url, token: fhirToken },
      batchSize: options.batchSize,
    });
    return new OutageEnv(temp, odoo, proxy, fhir, console_, flow);
  }

  /** Puts new patient versions into the FHIR server, as the EHR would (each one a new resource). */
  addVersions(versions: readonly PatientVersion[]): void {
    for (const version of versions) {
      this.fhir.state.put({
        resourceType: 'Patient',
        id: `${version.fhirId}-${this.nextFhirId++}`,
        identifier: [{ system: IDENTIFIER_SYSTEM, value: version.key }],
        name: [{ family: version.name, given: ['Outage'] }],
      });
      this.versions.push(version);
    }
  }

  get odooConnectionId(): string {
    return this.flow.targetConnectionId;
  }

  async runNow(): Promise<Run> {
    return this.console.operators.it.value('flows.runNow', { id: this.flow.id });
  }

  async runs(): Promise<readonly Run[]> {
    return this.console.operators.it.value('runs.list', { flowId: this.flow.id, limit: 500 });
  }

  async breakerState(): Promise<string> {
    const views = await this.console.operators.admin.value('connections.breakers', {});
    return views.find((view) => view.connectionId === this.odooConnectionId)?.state ?? 'closed';
  }

  /** The store read beside the running console (WAL: a reader never blocks it). */
  sql<T>(query: string, ...params: unknown[]): T[] {
    const db = new Database(join(this.temp.dir, 'osc.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(query).all(...params) as T[];
    } finally {
      db.close();
    }
  }

  outboxByState(): Record<string, number> {
    const rows = this.sql<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM outbox_writes GROUP BY state',
    );
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  waitingWrites(): number {
    return this.outboxByState().waiting ?? 0;
  }

  /** Waits until every run of the flow finished and the outbox holds nothing waiting. */
  async settled(timeoutMs: number): Promise<readonly Run[]> {
    try {
      return await until(
        'every run finished and the outbox drained',
        async () => {
          const runs = await this.runs().catch(() => null);
          if (runs === null || runs.length === 0) return null;
          if (!runs.every((run) => FINISHED_RUN_STATUSES.includes(run.status))) return null;
          return this.waitingWrites() === 0 ? runs : null;
        },
        timeoutMs,
      );
    } catch (error) {
      const runs = await this.runs().catch(() => []);
      throw new Error(
        `${String(error)}; outbox ${JSON.stringify(this.outboxByState())}; runs ${JSON.stringify(
          runs.map((run) => `${run.trigger}:${run.status}:r${run.counts.read}/d${run.counts.drained ?? 0}`),
        )}`,
        { cause: error },
      );
    }
  }

  /** The name Odoo holds for each of the flow's keys (read from the emulator's database). */
  odooNames(): Map<string, string> {
    const names = new Map<string, string>();
    for (const key of new Set(this.versions.map((version) => version.key))) {
      const found = this.odoo.state.resolveXmlid(`${MODULE}.p_${key}`);
      if (found === null) continue;
      const name = this.odoo.state.db.record('res.partner', found.resId)?.name;
      names.set(key, typeof name === 'string' ? name : '');
    }
    return names;
  }

  /** res.partner rows carrying one of the flow's names (a record created twice shows up here). */
  partnersOfFlow(): number {
    return this.odoo.state.db.idsWhere('res.partner', (record) => /^K\d{4} v\d+$/.test(String(record.name)))
      .length;
  }

  /**
   * The versions that landed in Odoo per key, in landing order, with immediate repeats (a chunk
   * whose answer was lost and that was sent again) counted apart.
   */
  landed(): { perKey: Map<string, string[]>; repeats: number } {
    const keyOf = new Map<number, string>();
    for (const key of new Set(this.versions.map((version) => version.key))) {
      const found = this.odoo.state.resolveXmlid(`${MODULE}.p_${key}`);
      if (found !== null) keyOf.set(found.resId, key);
    }
    const perKey = new Map<string, string[]>();
    let repeats = 0;
    for (const write of this.writes) {
      const key = keyOf.get(write.id) ?? `#${write.id}`;
      const names = perKey.get(key) ?? [];
      if (names.at(-1) === write.name) repeats += 1;
      else names.push(write.name);
      perKey.set(key, names);
    }
    return { perKey, repeats };
  }

  /** Each key's versions in source order: what must land, in this order, for each key. */
  expectedPerKey(): Map<string, string[]> {
    const perKey = new Map<string, string[]>();
    for (const version of this.versions)
      perKey.set(version.key, [...(perKey.get(version.key) ?? []), version.name]);
    return perKey;
  }

  /** `osc <args>` of the same build, as its own process, on this data folder's console (stopped). */
  async osc(args: readonly string[]): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [OSC_BUILD, ...args], {
        timeout: 30_000,
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  }

  /** PRAGMA integrity_check of the store (once the console is stopped or killed). */
  integrity(): string {
    return this.sql<{ integrity_check: string }>('PRAGMA integrity_check')
      .map((row) => row.integrity_check)
      .join('; ');
  }

  async close(): Promise<void> {
    await this.console.stop();
    await this.proxy.close();
    await this.odoo.close();
    await this.fhir.close();
    if (process.env.OSC_OUTAGE_KEEP === '1') console.log(`outage data folder kept: ${this.temp.dir}`);
    else this.temp.cleanup();
  }
}

interface PatientFlowEndpoints {
  readonly odoo: { url: string; database: string; key: string; timeoutMs: number | undefined };
  readonly fhir: { url: string; token: string };
  readonly batchSize: number;
}

/** Both connections, the patient → partner mapping (approved, active) and a manual flow, over HTTP. */
async function seedPatientFlow(console_: CrashConsole, endpoints: PatientFlowEndpoints): Promise<Flow> {
  const { it, admin } = console_.operators;
  const odoo = await it.value('connections.create', {
    name: 'Odoo (emulator behind a switchable proxy)',
    settings: {
      kind: 'odoo',
      baseUrl: endpoints.odoo.url,
      database: endpoints.odoo.database,
      login: 'admin',
      externalIdModule: MODULE,
      allowInsecureHttp: true,
      maxConcurrentCalls: 2,
      maxCallsPerSecond: 100,
      ...(endpoints.odoo.timeoutMs === undefined ? {} : { timeoutMs: endpoints.odoo.timeoutMs }),
    },
  });
  await it.value('connections.setSecret', { id: odoo.id, secret: endpoints.odoo.key });
  const fhir = await it.value('connections.create', {
    name: 'EHR (FHIR emulator)',
    settings: {
      kind: 'fhir',
      baseUrl: endpoints.fhir.url,
      allowInsecureHttp: true,
      pageSize: endpoints.batchSize,
    },
  });
  await it.value('connections.setSecret', { id: fhir.id, secret: endpoints.fhir.token });
  const mapping = await it.value('mappings.create', {
    name: 'Patient version → partner',
    spec: {
      key: `"p_" & identifier[system="${IDENTIFIER_SYSTEM}"].value`,
      fields: [
        { target: 'name', expression: 'name[0].family' },
        { target: 'is_company', expression: 'false' },
      ],
      rules: [],
    },
    note: 'outage tests',
  });
  await admin.value('mappings.approve', { id: mapping.id, version: 1 });
  await it.value('mappings.activate', { id: mapping.id, version: 1 });
  return it.value('flows.create', {
    name: 'Patients → partners (outage test)',
    sourceConnectionId: fhir.id,
    sourceSelector: { resourceType: 'Patient' },
    targetConnectionId: odoo.id,
    targetOperation: { model: 'res.partner', kind: 'upsert' },
    mappingId: mapping.id,
    schedule: { kind: 'manual' },
    batchSize: endpoints.batchSize,
  });
}
