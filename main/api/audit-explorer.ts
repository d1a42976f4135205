import type Database from 'better-sqlite3';
import { operations } from '../../shared/contract/operations.js';
import type {
  AuditCsvChunk,
  AuditEntry,
  AuditExplorerPage,
  AuditObject,
  AuditOutcome,
} from '../../shared/domain/audit.js';
import { auditCsvLines } from '../store/audit/audit-csv.js';
import { createAuditExportReader } from '../store/audit/audit-export-query.js';
import { createAuditLister } from '../store/audit/audit-list-query.js';
import type { AuditFilter } from '../store/types.js';
import { createAuditObjectResolver } from './audit-objects.js';

/** The explorer's search fields as the contract parses them (audit-ops.ts). */
export interface AuditSearchInput {
  readonly action?: string | undefined;
  readonly actor?: string | undefined;
  readonly object?: string | undefined;
  readonly outcome?: AuditOutcome | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly text?: string | undefined;
  readonly hideReads?: boolean | undefined;
}

/**
 * Page views: the operations the contract declares as reads. Hiding them hides only their successful
 * rows; a refused or failed read says something about an operator and stays visible.
 */
export const READ_ACTIONS: readonly string[] = Object.entries(operations)
  .filter(([, spec]) => spec.kind === 'read')
  .map(([name]) => name);

export interface AuditExplorerOptions {
  /** Rows read per search call (tests shrink it). */
  readonly window?: number;
  readonly chunkRows?: number;
}

/** Search and export over one store connection (the report's summary runs in the store worker); the console and `osc export-audit` share it. */
export function createAuditExplorer(db: Database.Database, options: AuditExplorerOptions = {}) {
  const resolver = createAuditObjectResolver(db);
  const lister = createAuditLister(db, options);
  const exportRows = createAuditExportReader(db, options);

  function filterOf(input: AuditSearchInput): AuditFilter {
    const given = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
    const object = given(input.object);
    return {
      action: given(input.action),
      actor: given(input.actor),
      targets: object === undefined ? undefined : resolver.idsNamed(object),
      outcome: input.outcome,
      from: input.from,
      to: input.to,
      text: given(input.text),
      hideOkActions: input.hideReads === true ? READ_ACTIONS : undefined,
    };
  }

  return {
    filterOf,
    resolve: (entries: readonly AuditEntry[]): Record<string, AuditObject> => resolver.resolve(entries),

    list(
      input: AuditSearchInput & { readonly beforeSeq?: number | undefined; readonly limit: number },
    ): AuditExplorerPage {
      const page = lister({ ...filterOf(input), beforeSeq: input.beforeSeq, limit: input.limit });
      return { ...page, objects: resolver.resolve(page.entries) };
    },

    csvChunk(input: AuditSearchInput & { readonly afterSeq?: number | undefined }): AuditCsvChunk {
      const chunk = exportRows({ ...filterOf(input), afterSeq: input.afterSeq });
      return {
        csv: auditCsvLines(chunk.entries, resolver.resolve(chunk.entries), input.afterSeq === undefined),
        rows: chunk.entries.length,
        nextAfterSeq: chunk.nextAfterSeq,
      };
    },
  };
}

export type AuditExplorer = ReturnType<typeof createAuditExplorer>;

/** What an export or report call records about itself: the period and filters, never rows. */
export function auditSearchDetail(input: AuditSearchInput): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  for (const key of ['from', 'to', 'action', 'actor', 'object', 'outcome', 'text'] as const) {
    const value = input[key];
    if (value !== undefined && value !== '') detail[key] = value;
  }
  if (input.hideReads === true) detail.hideReads = true;
  return detail;
}
