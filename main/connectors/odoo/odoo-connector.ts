import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import type { FlowUsage } from '../flow-usage.js';
import {
  ConnectorError,
  type ExtractRequest,
  type Source,
  type SourcePage,
  type Target,
  type TargetOutcome,
  type TargetWrite,
  type WriteRequest,
} from '../types.js';
import { runConnectionTest } from './connection-test.js';
import { lookupExternalIds, type ExternalIdTarget } from './external-id-lookup.js';
import { qualifyExternalId } from './external-ids.js';
import { FIELD_ATTRIBUTES, parseFieldsGet, type OdooField } from './fields-get.js';
import {
  groupTotals,
  searchReadBounded,
  type GroupTotals,
  type GroupTotalsRequest,
} from './grouped-totals.js';
import { OdooHttpTransport } from './http-transport.js';
import { searchReadIncremental } from './incremental-read.js';
import { OdooSession, type SessionInfo } from './odoo-session.js';
import type { OrmCaller } from './orm-caller.js';
import { Throttle } from './throttle.js';
import { upsertByLoad } from './upsert.js';
import { dryRunLoad, type DryRunVerdict } from './dry-run-load.js';
import { checkBaseUrl, type CheckedBaseUrl } from './url-policy.js';

/**
 * The Odoo connector the engine and the API use: a Source (incremental reads), a Target (idempotent
 * upserts), plus the calls the console needs (test connection, fields for the mapping editor,
 * external-ID lookups, plain create/write and server actions). One instance per connection; it
 * owns that connection's HTTP pool and throttle.
 */

/** A pino-compatible logger. The connector logs ids, counts and codes only: never a secret or a payload. */
export interface OdooConnectorLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface CreateOdooConnectorOptions {
  readonly connectionId: string;
  readonly settings: OdooSettings;
  readonly secrets: SecretReader;
  readonly logger?: OdooConnectorLogger;
  /** Extra trusted CA (PEM) for a clinic's private CA; verification always stays on. */
  readonly ca?: string;
  readonly maxResponseBytes?: number;
}

export interface UpsertCallOptions {
  readonly signal?: AbortSignal;
  /** key → Odoo id recorded by the engine: enables the posted-record check and direct updates. */
  readonly knownTargetIds?: ReadonlyMap<string, string>;
}

export interface OdooConnector extends Source, Target {
  /** Checks reachability, login and exactly the rights `flows` (and any `models` named) need. */
  testConnection(options?: {
    flows?: readonly FlowUsage[];
    models?: readonly string[];
    signal?: AbortSignal;
  }): Promise<ConnectionTestResult>;
  describe(signal?: AbortSignal): Promise<SessionInfo>;
  fieldsGet(model: string, signal?: AbortSignal): Promise<OdooField[]>;
  searchReadIncremental(request: ExtractRequest): AsyncIterable<SourcePage>;
  upsert(model: string, rows: readonly TargetWrite[], options?: UpsertCallOptions): Promise<TargetOutcome[]>;
  create(
    model: string,
    values: readonly Readonly<Record<string, unknown>>[],
    signal?: AbortSignal,
  ): Promise<number[]>;
  write(
    model: string,
    ids: readonly number[],
    values: Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<boolean>;
  write(request: WriteRequest): Promise<TargetOutcome[]>;
  callMethod(model: string, method: string, ids: readonly number[], signal?: AbortSignal): Promise<unknown>;
  /**
   * Resolves external IDs through ir.model.data, which Odoo 17 lets only Administration / Access
   * Rights read: for admin-only tooling. Nothing on the write path uses it (upserts work for a
   * least-privilege integration user); with such a user it fails with `odoo.AccessError`.
   */
  lookupExternalIds(names: readonly string[], signal?: AbortSignal): Promise<Map<string, ExternalIdTarget>>;
  /** Odoo's verdict per write in a `load` Odoo rolls back: nothing is kept (dry-run-load.ts). */
  dryRunUpsert(model: string, rows: readonly TargetWrite[], signal?: AbortSignal): Promise<DryRunVerdict[]>;
  /** One `read` of these ids (inactive ones too): what Odoo holds now. */
  readByIds(
    model: string,
    ids: readonly number[],
    fields: readonly string[],
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>[]>;
  /** Counts and sums per period, grouped by Odoo in one call (reconciliation, grouped-totals.ts). */
  groupTotals(request: GroupTotalsRequest): Promise<Map<string, GroupTotals>>;
  /** A bounded search_read (a reconciliation's drill-down): refuses to answer `limit` rows or more. */
  searchReadBounded(
    model: string,
    domain: readonly unknown[],
    fields: readonly string[],
    limit: number,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>[]>;
  /** Highest number of concurrent calls seen (throttle evidence for status and tests). */
  readonly peakConcurrency: number;
  close(): Promise<void>;
}

function typesOf(answer: unknown): ReadonlyMap<string, string> {
  const types = new Map<string, string>();
  if (typeof answer !== 'object' || answer === null) return types;
  for (const [name, field] of Object.entries(answer)) {
    const type = (field as { type?: unknown } | null)?.type;
    if (typeof type === 'string') types.set(name, type);
  }
  return types;
}

function idList(result: unknown): number[] {
  if (typeof result === 'number') return [result];
  if (Array.isArray(result) && result.every((id) => typeof id === 'number')) return result;
  throw new ConnectorError('permanent', 'odoo.bad-answer', 'create answered in an unexpected shape');
}

export function createOdooConnector(options: CreateOdooConnectorOptions): OdooConnector {
  const { settings } = options;
  let base: CheckedBaseUrl | ConnectorError;
  try {
    base = checkBaseUrl(settings.baseUrl, settings.allowInsecureHttp);
  } catch (error) {
    base =
      error instanceof ConnectorError
        ? error
        : new ConnectorError('configuration', 'url.invalid', 'Invalid URL');
  }
  const throttle = new Throttle(settings);
  const http =
    base instanceof ConnectorError
      ? null
      : new OdooHttpTransport({
          base,
          timeoutMs: settings.timeoutMs,
          maxConnections: settings.maxConcurrentCalls,
          throttle,
          ...(options.ca === undefined ? {} : { ca: options.ca }),
          ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
        });
  const session =
    http === null ? null : new OdooSession(http, settings, options.connectionId, options.secrets);

  const usable = (): OdooSession => {
    if (session === null)
      throw base instanceof ConnectorError
        ? base
        : new ConnectorError('configuration', 'url.invalid', 'Invalid URL');
    return session;
  };
  const call: OrmCaller = (model, method, args, kwargs = {}, signal) =>
    usable().executeKw(model, method, args, kwargs, signal);

  // Field types per model, for the direct-update path: asked once per connector and model.
  const fieldTypeCache = new Map<string, Promise<ReadonlyMap<string, string>>>();
  const fieldTypes = (model: string, signal?: AbortSignal): Promise<ReadonlyMap<string, string>> => {
    const cached = fieldTypeCache.get(model);
    if (cached !== undefined) return cached;
    const asked = call(model, 'fields_get', [], { attributes: ['type'] }, signal).then((answer) =>
      typesOf(answer),
    );
    asked.catch(() => fieldTypeCache.delete(model));
    fieldTypeCache.set(model, asked);
    return asked;
  };

  const upsert = (
    model: string,
    rows: readonly TargetWrite[],
    callOptions: UpsertCallOptions = {},
  ): Promise<TargetOutcome[]> => {
    const { signal, knownTargetIds } = callOptions;
    const where = { connectionId: options.connectionId };
    return upsertByLoad(call, rows, {
      model,
      module: settings.externalIdModule,
      ...(signal === undefined ? {} : { signal }),
      ...(knownTargetIds === undefined ? {} : { knownTargetIds }),
      fieldTypes: () => fieldTypes(model, signal),
      onRejectedRows: (details) =>
        options.logger?.warn(
          { ...where, ...details },
          'Odoo rejected rows of a load batch; resending the others',
        ),
      onConcurrencyRetry: (details) =>
        options.logger?.warn(
          { ...where, ...details },
          'Rows of a load batch met a concurrent update in Odoo; sending the batch again after a pause',
        ),
    });
  };

  async function writeRecords(
    model: string,
    ids: readonly number[],
    values: Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return (await call(model, 'write', [ids, values], {}, signal)) === true;
  }

  /** Target.write: the engine's operation picks upsert (default), create, or a server action. */
  async function targetWrite(request: WriteRequest): Promise<TargetOutcome[]> {
    const model = request.operation.model;
    const kind = request.operation.kind ?? 'upsert';
    if (typeof model !== 'string' || model === '') {
      const error = {
        class: 'configuration' as const,
        code: 'odoo.bad-operation',
        message: 'An Odoo write needs a model',
      };
      return request.records.map((record) => ({ key: record.key, ok: false, error }));
    }
    if (kind === 'upsert')
      return upsert(model, request.records, {
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        ...(request.knownTargetIds === undefined ? {} : { knownTargetIds: request.knownTargetIds }),
      });
    const outcomes: TargetOutcome[] = [];
    for (const record of request.records) {
      try {
        if (kind === 'create') {
          const [id] = idList(await call(model, 'create', [[record.payload]], {}, request.signal));
          outcomes.push({ key: record.key, ok: true, targetId: String(id), created: true });
        } else if (typeof kind === 'string' && /^action_[a-z_]+$/.test(kind)) {
          const id = Number(record.payload.id);
          await call(model, kind, [[id]], {}, request.signal);
          outcomes.push({ key: record.key, ok: true, targetId: String(id), created: false });
        } else {
          throw new ConnectorError(
            'configuration',
            'odoo.bad-operation',
            `Unknown Odoo write kind '${typeof kind === 'string' ? kind : typeof kind}'`,
          );
        }
      } catch (error) {
        const info =
          error instanceof ConnectorError
            ? error.toInfo()
            : { class: 'transient' as const, code: 'odoo.unexpected', message: String(error) };
        outcomes.push({ key: record.key, ok: false, error: info });
      }
    }
    return outcomes;
  }

  const connector: OdooConnector = {
    system: 'odoo',
    get peakConcurrency() {
      return throttle.peakConcurrency;
    },
    testConnection: (testOptions) =>
      runConnectionTest({
        settings,
        base,
        session,
        flows: testOptions?.flows ?? [],
        models: testOptions?.models ?? [],
        ...(testOptions?.signal === undefined ? {} : { signal: testOptions.signal }),
      }),
    describe: (signal) => usable().describe(signal),
    fieldsGet: async (model, signal) =>
      parseFieldsGet(await call(model, 'fields_get', [], { attributes: FIELD_ATTRIBUTES }, signal)),
    extract: (request) => searchReadIncremental(call, request),
    groupTotals: async (request) =>
      groupTotals(call, (await usable().describe(request.signal)).major, request),
    searchReadBounded: (model, domain, fields, limit, signal) =>
      searchReadBounded(call, model, domain, fields, limit, signal),
    searchReadIncremental: (request) => searchReadIncremental(call, request),
    upsert,
    create: async (model, values, signal) => idList(await call(model, 'create', [values], {}, signal)),
    write: ((
      first: string | WriteRequest,
      ids?: readonly number[],
      values?: Readonly<Record<string, unknown>>,
      signal?: AbortSignal,
    ) =>
      typeof first === 'string'
        ? writeRecords(first, ids ?? [], values ?? {}, signal)
        : targetWrite(first)) as OdooConnector['write'],
    callMethod: (model, method, ids, signal) => {
      if (method.startsWith('_')) {
        return Promise.reject(
          new ConnectorError(
            'configuration',
            'odoo.private-method',
            'Private Odoo methods cannot be called remotely',
          ),
        );
      }
      return call(model, method, [ids], {}, signal);
    },
    dryRunUpsert: (model, rows, signal) => dryRunLoad(call, model, settings.externalIdModule, rows, signal),
    readByIds: async (model, ids, fields, signal) => {
      const answer = await call(
        model,
        'read',
        [[...ids], [...fields]],
        { context: { active_test: false } },
        signal,
      );
      if (!Array.isArray(answer))
        throw new ConnectorError(
          'permanent',
          'odoo.bad-answer',
          `${model}.read answered in an unexpected shape`,
        );
      return answer as Record<string, unknown>[];
    },
    lookupExternalIds: (names, signal) =>
      lookupExternalIds(
        call,
        names.map((name) => qualifyExternalId(name, settings.externalIdModule)),
        signal,
      ),
    close: async () => {
      await http?.close();
    },
  };
  return connector;
}
