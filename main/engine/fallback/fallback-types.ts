import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { FallbackEntry } from '../../../shared/domain/fallback.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import type { MappedRecord } from '../pipeline/map-page.js';
import type { OutboxRepo } from '../outbox/outbox-repo.js';
import type { RunContext } from '../store/batch-commit.js';
import type { FlowsRepo } from '../store/flows-repo.js';
import type { MappingsRepo } from '../store/mappings-repo.js';

/** What the engine gives manual fallback (main/engine/fallback): the store, the mappings, the outbox. */
export interface FallbackWorkDeps {
  readonly db: Database.Database;
  readonly flows: FlowsRepo;
  readonly mappings: MappingsRepo;
  readonly connections: ConnectionsRepo;
  readonly compiled: (mappingId: string, version: number) => CompiledMapping;
  readonly outbox: OutboxRepo;
  readonly emit: (event: LiveEvent) => void;
  readonly log?: (message: string) => void;
  readonly now?: () => Date;
}

export interface FallbackEntryInput {
  readonly flowId: string;
  readonly values: Readonly<Record<string, string | number>>;
  readonly reason: string;
  readonly enteredBy: string;
}

/**
 * Run-side matching of source records against open fallback entries of the flow. Called by the
 * pipeline with each page's mapped records before they are loaded (or deferred); answers the records
 * still to write. Records it holds back (matched to an entry, or a later version of a matched source
 * record) it settles itself, idempotently: a crash before the page's commit makes the pipeline read
 * the same records again, and a second call must answer the same.
 */
export type FallbackMatcher = (records: readonly MappedRecord[], context: RunContext) => MappedRecord[];

/** The engine's side of manual fallback (main/engine/fallback/fallback-work.ts implements it). */
export interface FallbackWorkApi {
  /** Maps and validates the entry with the flow's active mapping and queues it in the outbox. */
  enter(input: FallbackEntryInput): Promise<FallbackEntry>;
  /** The matcher for a run of this flow, or null when nothing of the flow could match (cheap check). */
  matcherFor(flowId: string): FallbackMatcher | null;
}
