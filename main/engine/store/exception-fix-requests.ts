import type Database from 'better-sqlite3';
import {
  MAX_RETRY_SELECTION,
  UNSETTLED_EXCEPTION_STATES,
  type ExceptionSummary,
} from '../../../shared/domain/exception.js';
import {
  UNMAPPED_CODE_ERROR,
  unmappedCodeOf,
  type ExceptionFix,
} from '../../../shared/domain/exception-fix.js';
import { mappingSpecSchema, type MappingVersion } from '../../../shared/domain/mapping.js';
import { ExceptionFixesRepo } from './exception-fixes-repo.js';
import { ExceptionsRepo, ExceptionStateError } from './exceptions-repo.js';
import { FlowsRepo } from './flows-repo.js';
import { MappingsRepo } from './mappings-repo.js';
import { REFERENCE_RETRY_BACKOFF, retryDelayMs } from './retry-policy.js';

/** A request the inbox cannot act on as asked (bad selection, a value map that is too full). */
export class ExceptionFixInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExceptionFixInputError';
  }
}

export interface MapCodeRequest {
  readonly exceptionId: string;
  readonly value: string;
  readonly note?: string | undefined;
  readonly by: string;
}

export interface MapCodeOutcome {
  readonly fix: ExceptionFix;
  /** The draft version written, or null when an identical open fix was answered instead. */
  readonly draft: MappingVersion | null;
}

/**
 * The console's side of one-click fixes: checking that the fix fits the exception and recording it
 * (the engine applies it: main/engine/replay/exception-fixes.ts). Refusals are ExceptionStateError
 * (a conflict) or ExceptionFixInputError; an unknown exception is ExceptionNotFoundError.
 */
export class ExceptionFixRequests {
  private readonly exceptions: ExceptionsRepo;
  private readonly fixes: ExceptionFixesRepo;
  private readonly flows: FlowsRepo;
  private readonly mappings: MappingsRepo;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.exceptions = new ExceptionsRepo(db, now);
    this.fixes = new ExceptionFixesRepo(db, now);
    this.flows = new FlowsRepo(db, now);
    this.mappings = new MappingsRepo(db, now);
  }

  /**
   * "Map this code": a new DRAFT of the flow's mapping (the active version's spec, or the newest
   * open map-code draft's when one is newer, plus the entry),
   * authored by the operator so another administrator still approves it; the fix waits for that.
   */
  mapCode(request: MapCodeRequest): MapCodeOutcome {
    const exception = this.unsettled(request.exceptionId);
    if (exception.errorCode !== UNMAPPED_CODE_ERROR) {
      throw new ExceptionStateError(
        `Only an exception whose code has no entry in a value map (${UNMAPPED_CODE_ERROR}) can be fixed by mapping the code; this one is ${exception.errorCode}.`,
      );
    }
    const missing = unmappedCodeOf(exception.errorMessage);
    if (missing === null)
      throw new ExceptionStateError('The exception does not say which value map and code are missing.');
    const flow = this.flows.get(exception.flowId);
    if (flow === null) throw new ExceptionStateError('The flow of this exception no longer exists.');
    const active = this.mappings.activeVersion(flow.mappingId);
    if (active === null)
      throw new ExceptionStateError("The flow's mapping has no active version to add the code to.");
    const open = this.fixes.openMapCode(flow.mappingId, missing.valueMap, missing.code);
    if (open !== null) {
      const fix = this.fixes.get(open.id);
      if (open.mapped_to === request.value && fix !== null) return { fix, draft: null };
      throw new ExceptionStateError(
        `Mapping version ${open.mapping_version} (by ${open.created_by}) already maps code "${missing.code}" to "${open.mapped_to}" and waits for ${open.state === 'awaiting-approval' ? 'approval' : 'activation'}; settle that version first.`,
      );
    }
    if (Object.hasOwn(active.spec.valueMaps[missing.valueMap]?.entries ?? {}, missing.code)) {
      throw new ExceptionStateError(
        `The active mapping (version ${active.version}) already maps code "${missing.code}": retry the exception instead.`,
      );
    }
    // Codes mapped one after another chain their drafts (each on top of the previous open one), so
    // activating the newest holds them all instead of losing the earlier entries.
    const pending = this.fixes.newestOpenDraft(flow.mappingId);
    const base =
      pending !== null && pending > active.version
        ? (this.mappings.version(flow.mappingId, pending) ?? active)
        : active;
    const table = base.spec.valueMaps[missing.valueMap];
    if (table === undefined) {
      throw new ExceptionStateError(
        `The mapping (version ${base.version}) has no value map "${missing.valueMap}" any more.`,
      );
    }
    const spec = structuredClone(base.spec);
    spec.valueMaps[missing.valueMap] = {
      ...table,
      entries: { ...table.entries, [missing.code]: request.value },
    };
    const checked = mappingSpecSchema.safeParse(spec);
    if (!checked.success)
      throw new ExceptionFixInputError(
        `The value map cannot take the code: ${checked.error.issues[0]?.message}`,
      );
    const note =
      request.note ??
      `Map code "${missing.code}" of value map "${missing.valueMap}" to "${request.value}" (fix of ${exception.id})`;
    return this.db.transaction(() => {
      const draft = this.mappings.saveDraft(flow.mappingId, checked.data, note.slice(0, 500), request.by);
      const id = this.fixes.createMapCode(
        {
          signature: exception.signature,
          flowId: exception.flowId,
          errorMessage: exception.errorMessage,
          mappingId: flow.mappingId,
          mappingVersion: draft.version,
          valueMap: missing.valueMap,
          code: missing.code,
          mappedTo: request.value,
          createdBy: request.by,
        },
        this.fixes.coveredByCode(exception.signature, exception.errorMessage, flow.mappingId),
      );
      const fix = this.fixes.get(id);
      if (fix === null) throw new Error('fix vanished after insert');
      return { fix, draft };
    })();
  }

  /**
   * "Retry when the referenced record exists", for one exception or a whole group (its signature):
   * only unsettled missing-reference exceptions; those another such fix covers already stay there.
   */
  retryWhenReferenced(
    selection: { id?: string | undefined; signature?: string | undefined },
    by: string,
  ): ExceptionFix {
    if ((selection.id === undefined) === (selection.signature === undefined))
      throw new ExceptionFixInputError('Choose exactly one of: id, signature.');
    let ids: string[];
    if (selection.id !== undefined) {
      const exception = this.unsettled(selection.id);
      if (exception.class !== 'reference') {
        throw new ExceptionStateError(
          `Only a missing-reference exception can wait for its record; this one is ${exception.class}.`,
        );
      }
      ids = [exception.id];
    } else {
      ids = this.exceptions.unsettledIds(
        { signature: selection.signature, class: 'reference' },
        MAX_RETRY_SELECTION + 1,
      );
      if (ids.length === 0)
        throw new ExceptionStateError(
          'No open, retrying or dead missing-reference exception has that signature.',
        );
      if (ids.length > MAX_RETRY_SELECTION) {
        throw new ExceptionFixInputError(
          `That group holds more than ${MAX_RETRY_SELECTION} exceptions; choose them by flow and retry in parts.`,
        );
      }
    }
    const free = ids.filter((id) => this.fixes.activeCovering(id, 'await-reference') === null);
    const first = this.exceptions.summary(free[0] ?? ids[0] ?? '');
    if (free.length === 0) {
      const existing = this.fixes.activeCovering(first.id, 'await-reference');
      const fix = existing === null ? null : this.fixes.get(existing.id);
      if (fix !== null) return fix;
    }
    const due = this.now().getTime() + retryDelayMs(REFERENCE_RETRY_BACKOFF, 0);
    const id = this.fixes.createAwaitReference(
      {
        signature: first.signature,
        flowId: first.flowId,
        createdBy: by,
        nextAttemptAt: new Date(due).toISOString(),
      },
      free,
    );
    const fix = this.fixes.get(id);
    if (fix === null) throw new Error('fix vanished after insert');
    return fix;
  }

  private unsettled(id: string): ExceptionSummary {
    const exception = this.exceptions.summary(id);
    if (!UNSETTLED_EXCEPTION_STATES.includes(exception.state)) {
      throw new ExceptionStateError(
        `The exception is ${exception.state}; only an open, retrying or dead one can be fixed.`,
      );
    }
    return exception;
  }
}
