import { randomBytes } from 'node:crypto';
import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';
import type { Flow } from '../../shared/domain/flow.js';
import type { Run } from '../../shared/domain/run.js';
import { bulkChargesMapping } from '../peers/demo/demo-mappings.js';
import type { ContractCaller } from '../peers/demo/seed-demo-clinic.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';

/**
 * The console side of the crash test: a real `osc serve` process on one data folder that can be
 * SIGKILLed and started again, and operators calling its HTTP API as the console page would.
 */

/** One signed-in operator over HTTP: session cookie plus CSRF token, like the console's client. */
export class ApiSession implements ContractCaller {
  private cookie: string | null = null;
  private csrf: string | null = null;

  constructor(private baseUrl: string) {}

  /** Where the console serves (a browser test opens the same address). */
  get url(): string {
    return this.baseUrl;
  }

  /** After a restart the console listens elsewhere and has forgotten every session. */
  moveTo(baseUrl: string): void {
    this.baseUrl = baseUrl;
    this.cookie = null;
    this.csrf = null;
  }

  async call<N extends OperationName>(
    name: N,
    input: OperationInput<N>,
  ): Promise<Result<OperationOutput<N>>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.cookie !== null) headers.cookie = this.cookie;
    if (this.csrf !== null) headers['x-csrf-token'] = this.csrf;
    const response = await fetch(`${this.baseUrl}/api/ops/${name}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(15_000),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) this.cookie = setCookie.split(';')[0] ?? null;
    const result = (await response.json()) as Result<OperationOutput<N>>;
    if (result.ok) {
      const token = (result.value as { csrfToken?: unknown } | null)?.csrfToken;
      if (typeof token === 'string') this.csrf = token;
    }
    return result;
  }

  async value<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    const result = await this.call(name, input);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }
}

export interface ConsoleOperators {
  readonly admin: ApiSession;
  readonly it: ApiSession;
}

/** `osc serve` on one data folder, restartable after a SIGKILL; the operators sign in again each time. */
export class CrashConsole {
  private server: ServeProcess | null = null;
  private readonly passwords = {
    admin: randomBytes(12).toString('base64url'),
    it: randomBytes(12).toString('base64url'),
  };
  readonly operators: ConsoleOperators = { admin: new ApiSession(''), it: new ApiSession('') };
  /** Every server's log output, kept for the failure message. */
  private readonly logs: string[] = [];

  constructor(
    readonly dataDir: string,
    /** OSC_CRASH_OSC: another build of osc.cjs (a copy of an older dist/, to measure before and after). */
    private readonly osc: string | undefined = process.env.OSC_CRASH_OSC,
  ) {}

  get pid(): number | null {
    return this.server?.pid ?? null;
  }

  /** Starts the console; the first time it also creates the operators (first-run setup). */
  async start(firstRun = false): Promise<void> {
    this.server = await startServeProcess(this.dataDir, [], {
      ...(this.osc === undefined ? {} : { osc: this.osc }),
      env: { OSC_LOG_LEVEL: 'info' },
    });
    const { admin, it } = this.operators;
    admin.moveTo(this.server.url);
    it.moveTo(this.server.url);
    if (firstRun) {
      await admin.value('session.setupFirstAdmin', {
        username: 'admin',
        displayName: 'Crash test administrator',
        password: this.passwords.admin,
      });
      await admin.value('operators.create', {
        username: 'it',
        displayName: 'Crash test IT staff',
        password: this.passwords.it,
        roles: ['it-staff'],
      });
    } else {
      await admin.value('session.login', { username: 'admin', password: this.passwords.admin });
    }
    await it.value('session.login', { username: 'it', password: this.passwords.it });
  }

  /** SIGKILL: no shutdown code runs, exactly like a crash or `kill -9`. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    await server.kill();
    this.logs.push(server.output());
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    await server.stop();
    this.logs.push(server.output());
  }

  /** The tail of every console's log, for a failure message. */
  logTail(chars = 6000): string {
    const all = [...this.logs, this.server?.output() ?? ''].join('\n--- restart ---\n');
    return all.slice(-chars);
  }
}

export interface InvoiceFlowEndpoints {
  readonly odoo: {
    readonly url: string;
    readonly database: string;
    readonly login: string;
    readonly key: string;
    readonly module: string;
  };
  readonly fhir: { readonly url: string; readonly token: string };
  readonly batchSize: number;
}

/**
 * Seeds through the real contract: IT staff create both connections (secrets into the keychain),
 * the ChargeItem → customer invoice mapping (approved by the administrator) and a manual flow.
 */
export async function seedInvoiceFlow(
  operators: ConsoleOperators,
  endpoints: InvoiceFlowEndpoints,
): Promise<Flow> {
  const { it, admin } = operators;
  const odoo = await it.value('connections.create', {
    name: 'Real Odoo',
    settings: {
      kind: 'odoo',
      baseUrl: endpoints.odoo.url,
      database: endpoints.odoo.database,
      login: endpoints.odoo.login,
      externalIdModule: endpoints.odoo.module,
      allowInsecureHttp: true,
      maxConcurrentCalls: 2,
      maxCallsPerSecond: 50,
    },
  });
  await it.value('connections.setSecret', { id: odoo.id, secret: endpoints.odoo.key });
  const fhir = await it.value('connections.create', {
    name: 'Bulk EHR (FHIR)',
    settings: {
      kind: 'fhir',
      baseUrl: endpoints.fhir.url,
      allowInsecureHttp: true,
      pageSize: endpoints.batchSize,
    },
  });
  await it.value('connections.setSecret', { id: fhir.id, secret: endpoints.fhir.token });
  const mapping = await it.value('mappings.create', {
    name: 'Charge → customer invoice',
    spec: bulkChargesMapping,
    note: 'crash test',
  });
  await admin.value('mappings.approve', { id: mapping.id, version: 1 });
  await it.value('mappings.activate', { id: mapping.id, version: 1 });
  return it.value('flows.create', {
    name: 'Charges → real Odoo invoices',
    sourceConnectionId: fhir.id,
    sourceSelector: { resourceType: 'ChargeItem' },
    targetConnectionId: odoo.id,
    targetOperation: { model: 'account.move', kind: 'upsert' },
    mappingId: mapping.id,
    schedule: { kind: 'manual' },
    batchSize: endpoints.batchSize,
  });
}

/** Records of the flow with a durable outcome: every committed page adds its records to `read`. */
export function committedRecords(runs: readonly Run[]): number {
  return runs.reduce((sum, run) => sum + run.counts.read, 0);
}

/** A small seeded generator, so a failing sequence of kill moments can be replayed (OSC_CRASH_SEED). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
