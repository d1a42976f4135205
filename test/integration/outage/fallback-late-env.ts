import { randomBytes } from 'node:crypto';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run } from '../../../shared/domain/run.js';
import { supplyConsumptionFallback } from '../../peers/demo/demo-fallback.js';
import { MODULE, supplyConsumptionMapping } from '../../peers/demo/demo-mappings.js';
import { prepareDemoOdoo } from '../../peers/demo/prepare-odoo.js';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { ApiSession } from '../../real-odoo/crash-resume-env.js';
import { startServeProcess, type ServeProcess } from '../../support/serve-process.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { until } from '../../support/until.js';

/**
 * What the late-match fallback test runs against, as a user runs it: a real `osc serve` process on
 * its own data folder, the FHIR emulator as the EHR (resources delivered over HTTP PUT with its
 * bearer token, as the EHR's own writes) and the Odoo emulator prepared with the demo's master data
 * (products, the consumption location). One flow: SupplyDelivery → stock.move with the demo's supply
 * mapping and manual fallback settings (IT staff may enter; finance may not). Three operators sign
 * in over HTTP: the administrator, IT staff and finance.
 */

/** A signed-in operator's cookie and CSRF token, for calls whose HTTP status the test reads. */
export interface RawSession {
  readonly cookie: string;
  readonly csrf: string;
}

export class FallbackLateEnv {
  private constructor(
    private readonly temp: ReturnType<typeof makeTempDir>,
    private readonly server: ServeProcess,
    readonly odoo: OdooEmulator,
    readonly fhir: FhirEmulator,
    private readonly fhirToken: string,
    readonly admin: ApiSession,
    readonly it: ApiSession,
    readonly finance: ApiSession,
    readonly financePassword: string,
    readonly flow: Flow,
  ) {}

  static async start(): Promise<FallbackLateEnv> {
    const odooKey = randomBytes(20).toString('hex');
    const fhirToken = randomBytes(20).toString('hex');
    const temp = makeTempDir('osc-fallback-late-');
    const odoo = await startOdooEmulator({ apiKeys: [{ key: odooKey }] });
    const fhir = await startFhirEmulator({ auth: { bearer: fhirToken }, seed: 'empty' });
    const odooSettings: OdooSettings = {
      kind: 'odoo',
      baseUrl: odoo.url,
      database: odoo.state.database,
      login: 'admin',
      authMethod: 'api-key',
      protocol: 'auto',
      externalIdModule: MODULE,
      allowInsecureHttp: true,
      maxConcurrentCalls: 2,
      maxCallsPerSecond: 100,
      timeoutMs: 10_000,
    };
    await prepareDemoOdoo(odooSettings, odooKey);
    const server = await startServeProcess(temp.dir);
    const passwords = { admin: secret(), it: secret(), finance: secret() };
    const admin = new ApiSession(server.url);
    await admin.value('session.setupFirstAdmin', {
      username: 'admin',
      displayName: 'Fallback test administrator',
      password: passwords.admin,
    });
    const it = await operator(admin, server.url, 'it', 'it-staff', passwords.it);
    const finance = await operator(admin, server.url, 'finance', 'finance', passwords.finance);
    const flow = await seedSupplyFlow(admin, it, odooSettings, odooKey, fhir.url, fhirToken);
    return new FallbackLateEnv(
      temp,
      server,
      odoo,
      fhir,
      fhirToken,
      admin,
      it,
      finance,
      passwords.finance,
      flow,
    );
  }

  get fhirConnectionId(): string {
    return this.flow.sourceConnectionId;
  }

  /** The EHR writes a SupplyDelivery (a new one, or a later version of one it holds) over HTTP. */
  async deliver(resource: Record<string, unknown>): Promise<void> {
    const { meta: _ignored, ...body } = resource;
    const response = await fetch(`${this.fhir.url}/SupplyDelivery/${String(body.id)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.fhirToken}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`the EHR refused the delivery: ${String(response.status)}`);
  }

  /** Stock moves the flow made: the supply mapping names the encounter in `origin`. */
  supplyMoves(): { id: number; origin: string; quantity: number }[] {
    const db = this.odoo.state.db;
    return db
      .idsWhere('stock.move', (record) => String(record.origin).startsWith('Encounter/'))
      .map((id) => {
        const move: Readonly<Record<string, unknown>> = db.record('stock.move', id) ?? {};
        return {
          id,
          origin: String(move.origin),
          quantity: Number(move.product_uom_qty),
        };
      });
  }

  /** Waits until every run of the flow finished; answers them newest first. */
  async settled(timeoutMs = 15_000): Promise<readonly Run[]> {
    return until(
      'every run of the supply flow finished',
      async () => {
        const runs = await this.it.value('runs.list', { flowId: this.flow.id, limit: 100 });
        return runs.every((run) => FINISHED_RUN_STATUSES.includes(run.status)) ? runs : null;
      },
      timeoutMs,
    );
  }

  /** Run now, wait for it: the finished run. */
  async runNow(): Promise<Run> {
    await this.settled();
    const started = await this.it.value('flows.runNow', { id: this.flow.id });
    return until(
      `run ${started.id} finished`,
      async () => {
        const run = await this.it.value('runs.get', { id: started.id });
        return FINISHED_RUN_STATUSES.includes(run.status) ? run : null;
      },
      15_000,
    );
  }

  /** Signs in over raw HTTP (cookie and CSRF token), for calls whose status code matters. */
  async rawSignIn(username: string, password: string): Promise<RawSession> {
    const response = await fetch(`${this.server.url}/api/ops/session.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await response.json()) as { ok: boolean; value?: { csrfToken?: string } };
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (!body.ok || cookie === undefined || typeof body.value?.csrfToken !== 'string')
      throw new Error(`${username} could not sign in: ${JSON.stringify(body)}`);
    return { cookie, csrf: body.value.csrfToken };
  }

  /** POST /api/ops/<name> as that session: the HTTP status and the parsed answer. */
  async rawCall(
    session: RawSession,
    name: string,
    input: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.server.url}/api/ops/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: JSON.stringify(input),
    });
    return { status: response.status, body: await response.json() };
  }

  logTail(chars = 4000): string {
    return this.server.output().slice(-chars);
  }

  async close(): Promise<void> {
    await this.server.stop();
    await this.odoo.close();
    await this.fhir.close();
    this.temp.cleanup();
  }
}

const secret = (): string => randomBytes(12).toString('base64url');

async function operator(
  admin: ApiSession,
  url: string,
  username: string,
  role: 'it-staff' | 'finance',
  password: string,
): Promise<ApiSession> {
  await admin.value('operators.create', {
    username,
    displayName: `Fallback test ${role}`,
    password,
    roles: [role],
  });
  const session = new ApiSession(url);
  await session.value('session.login', { username, password });
  return session;
}

/** Both connections, the demo's supply mapping (approved, active) and a manual flow with its fallback form. */
async function seedSupplyFlow(
  admin: ApiSession,
  it: ApiSession,
  odooSettings: OdooSettings,
  odooKey: string,
  fhirUrl: string,
  fhirToken: string,
): Promise<Flow> {
  const odoo = await it.value('connections.create', { name: 'Odoo (emulator)', settings: odooSettings });
  await it.value('connections.setSecret', { id: odoo.id, secret: odooKey });
  const ehr = await it.value('connections.create', {
    name: 'EHR (FHIR emulator)',
    settings: { kind: 'fhir', baseUrl: fhirUrl, allowInsecureHttp: true, pageSize: 50 },
  });
  await it.value('connections.setSecret', { id: ehr.id, secret: fhirToken });
  const mapping = await it.value('mappings.create', {
    name: 'Supply use → stock move',
    spec: supplyConsumptionMapping,
    note: 'fallback late-match test',
  });
  await admin.value('mappings.approve', { id: mapping.id, version: 1 });
  await it.value('mappings.activate', { id: mapping.id, version: 1 });
  return it.value('flows.create', {
    name: 'Supplies used → stock moves (fallback test)',
    sourceConnectionId: ehr.id,
    sourceSelector: { resourceType: 'SupplyDelivery' },
    targetConnectionId: odoo.id,
    targetOperation: { model: 'stock.move', kind: 'upsert' },
    mappingId: mapping.id,
    schedule: { kind: 'manual' },
    batchSize: 50,
    fallback: supplyConsumptionFallback,
  });
}
