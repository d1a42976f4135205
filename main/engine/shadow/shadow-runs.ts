import type Database from 'better-sqlite3';
import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { MappingVersion } from '../../../shared/domain/mapping.js';
import type { ShadowRunSummary, ShadowWindow } from '../../../shared/domain/shadow.js';
import { createOdooConnector } from '../../connectors/odoo/index.js';
import { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { SecretReader } from '../../vault/types.js';
import { compileMapping } from '../mapping/compile-mapping.js';
import { EngineRequestError } from '../runner/engine-errors.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { MappingsRepo } from '../store/mappings-repo.js';
import { compareRecords, type TargetChecker } from './shadow-compare.js';
import { assertShadowSource, readShadowWindow } from './shadow-read.js';
import { ShadowStore } from './shadow-store.js';

export interface ShadowStartInput {
  readonly flowId: string;
  readonly version: number;
  readonly since: string | null;
  readonly limit: number;
  readonly requestedBy: string;
}

/** What the report says the target checked: shown with every run. */
const ODOO_CHECK =
  'Odoo load in a transaction Odoo rolls back (conversion, required fields, constraints, access rights; sequences are not rolled back; nothing is kept)';
const NO_CHECK = 'not checked by the target: only Odoo can check writes without keeping them';

/**
 * Shadow runs in the engine worker: started here (checked, recorded as running) and carried on in
 * the background; the report is read from the store. Nothing here writes to the flow's own tables
 * (cursor, lineage, target_state, exceptions, outbox): only shadow_runs and shadow_records.
 */
export class ShadowRuns {
  private readonly flows: FlowsRepo;
  private readonly mappings: MappingsRepo;
  private readonly connections: ConnectionsRepo;
  readonly store: ShadowStore;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SecretReader,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.flows = new FlowsRepo(db);
    this.mappings = new MappingsRepo(db);
    this.connections = new ConnectionsRepo(db);
    this.store = new ShadowStore(db);
    this.store.failUnfinished(this.now());
  }

  start(input: ShadowStartInput): ShadowRunSummary {
    const flow = this.flows.get(input.flowId);
    if (flow === null) throw new EngineRequestError('not-found', 'That flow does not exist.');
    const tried = this.mappings.version(flow.mappingId, input.version);
    if (tried === null)
      throw new EngineRequestError(
        'not-found',
        `Version ${input.version} of the flow's mapping does not exist.`,
      );
    if (tried.status === 'active' || tried.status === 'retired')
      throw new EngineRequestError(
        'conflict',
        `Version ${tried.version} is ${tried.status}: shadow-run a draft or an approved version.`,
      );
    const source = this.connection(flow.sourceConnectionId);
    const target = this.connection(flow.targetConnectionId);
    try {
      assertShadowSource(source);
    } catch (error) {
      throw new EngineRequestError('conflict', error instanceof Error ? error.message : String(error));
    }
    const active = this.mappings.activeVersion(flow.mappingId);
    const window: ShadowWindow = { since: input.since, limit: input.limit };
    const run = this.store.create({
      flowId: flow.id,
      mappingId: flow.mappingId,
      version: tried.version,
      activeVersion: active?.version ?? null,
      window,
      startedBy: input.requestedBy,
      checkedBy: this.checks(flow, target) ? ODOO_CHECK : NO_CHECK,
      now: this.now(),
    });
    const abort = new AbortController();
    const done = this.execute(run.id, flow, source, target, tried, active, window, abort.signal)
      .catch((error: unknown) => {
        this.store.fail(run.id, error instanceof Error ? error.message : String(error), this.now());
      })
      .finally(() => this.running.delete(run.id));
    this.running.set(run.id, { abort, done });
    return run;
  }

  /** Resolves once every run started so far has finished (tests, and the worker's stop). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((run) => run.done));
  }

  async stop(): Promise<void> {
    for (const run of this.running.values()) run.abort.abort();
    await this.idle();
  }

  private connection(id: string): Connection {
    const found = this.connections.get(id);
    if (found === null) throw new EngineRequestError('not-found', 'A connection of the flow does not exist.');
    return found;
  }

  private checks(flow: Flow, target: Connection): boolean {
    const kind = flow.targetOperation.kind ?? 'upsert';
    return (
      target.settings.kind === 'odoo' && kind === 'upsert' && typeof flow.targetOperation.model === 'string'
    );
  }

  private async execute(
    runId: string,
    flow: Flow,
    source: Connection,
    target: Connection,
    tried: MappingVersion,
    active: MappingVersion | null,
    window: ShadowWindow,
    signal: AbortSignal,
  ): Promise<void> {
    const { records } = await readShadowWindow(flow, source, window, {
      secrets: this.secrets,
      db: this.db,
      signal,
    });
    const settings = target.settings;
    const model = flow.targetOperation.model;
    let checker: TargetChecker | null = null;
    let close = (): Promise<void> => Promise.resolve();
    if (this.checks(flow, target) && settings.kind === 'odoo' && typeof model === 'string') {
      const odoo = createOdooConnector({ connectionId: target.id, settings, secrets: this.secrets });
      close = () => odoo.close();
      checker = {
        check: (writes) => odoo.dryRunUpsert(model, writes, signal),
        read: (ids, fields) => odoo.readByIds(model, ids, fields, signal),
      };
    }
    try {
      const results = await compareRecords({
        records,
        tried: compileMapping(tried.spec),
        active: active === null ? null : compileMapping(active.spec),
        knownTargetIds: (keys) => this.knownTargetIds(flow.id, keys),
        checker,
      });
      this.store.finish(runId, results, this.now());
    } finally {
      await close();
    }
  }

  /** The Odoo ids the flow recorded for these keys (target_state), read only. */
  private knownTargetIds(flowId: string, keys: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    const select = this.db.prepare<[string, string], { target_id: string }>(
      'SELECT target_id FROM target_state WHERE flow_id = ? AND target_key = ?',
    );
    for (const key of keys) {
      const row = select.get(flowId, key);
      if (row !== undefined) found.set(key, row.target_id);
    }
    return found;
  }
}
