import { z } from 'zod';
import { ConnectorError, type ConnectorErrorInfo, type TargetOutcome, type TargetWrite } from '../types.js';
import { qualifyExternalId } from './external-ids.js';
import { updateKnownRecords } from './known-record-updates.js';
import { loadInRounds, type LoadRoundsOptions } from './load-rounds.js';
import type { OrmCaller } from './orm-caller.js';
import { findLockedRecords, postingApplies } from './posted-guard.js';

/**
 * Idempotent batched upsert for a least-privilege integration user: nothing here reads
 * ir.model.data (Odoo 17 lets only Administration / Access Rights read it). Per batch:
 *
 * 1. posted guard (accounting models only, one `search_read`): records Odoo has posted or
 *    cancelled become `conflict` outcomes and are never sent (posted-guard.ts);
 * 2. records whose Odoo id the engine knows and whose payload is plain values: only what differs
 *    from Odoo's current values is written, grouped into `write(ids, vals)` where records share
 *    the change (known-record-updates.ts);
 * 3. everything else through `load` by external ID, with bad rows split off and concurrent-update
 *    collisions retried (load-rounds.ts).
 *
 * Created or updated: Odoo's ids come from one sequence, so a record `load` returns with an id above
 * the highest id of the model just before the load did not exist then: created. One `search` of
 * that highest id per batch, made only when some key's id is not known already. (create_date ==
 * write_date cannot tell it: Odoo reads datetimes to the second, so an update in the same second
 * as the creation looks like a creation.) A record created by an earlier, abandoned attempt still
 * running in Odoo when this batch started counts as created by this write.
 */

export interface UpsertOptions extends Pick<
  LoadRoundsOptions,
  'onRejectedRows' | 'onConcurrencyRetry' | 'concurrencyRetry'
> {
  readonly model: string;
  readonly module: string;
  readonly signal?: AbortSignal;
  /** key → Odoo id the engine recorded earlier (see WriteRequest.knownTargetIds). */
  readonly knownTargetIds?: ReadonlyMap<string, string>;
  /** The model's field types (cached by the connector); needed only for the known-record path. */
  readonly fieldTypes?: () => Promise<ReadonlyMap<string, string>>;
  /** Told what the known-record path did (counts only). */
  readonly onKnownUpdates?: (details: { model: string; groupWrites: number; unchanged: number }) => void;
}

function failure(key: string, error: ConnectorErrorInfo): TargetOutcome {
  return { key, ok: false, error };
}

function knownId(knownTargetIds: ReadonlyMap<string, string> | undefined, key: string): number | null {
  const id = Number(knownTargetIds?.get(key));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

async function highestId(call: OrmCaller, model: string, signal?: AbortSignal): Promise<number> {
  const answer = await call(
    model,
    'search',
    [[]],
    { limit: 1, order: 'id desc', context: { active_test: false } },
    signal,
  );
  const ids = z.array(z.number().int()).safeParse(answer);
  if (!ids.success) {
    throw new ConnectorError('permanent', 'odoo.bad-answer', `${model} answered in an unexpected shape`);
  }
  return ids.data[0] ?? 0;
}

function asInfo(error: unknown): ConnectorErrorInfo {
  return error instanceof ConnectorError
    ? error.toInfo()
    : {
        class: 'transient',
        code: 'odoo.unexpected',
        message: error instanceof Error ? error.message : String(error),
      };
}

export async function upsertByLoad(
  call: OrmCaller,
  writes: readonly TargetWrite[],
  options: UpsertOptions,
): Promise<TargetOutcome[]> {
  if (writes.length === 0) return [];
  const outcomes: (TargetOutcome | undefined)[] = new Array<TargetOutcome | undefined>(writes.length);
  const { model, signal, knownTargetIds } = options;
  try {
    const locked = postingApplies(model)
      ? await findLockedRecords(call, model, writes, knownTargetIds, signal)
      : new Map<number, ConnectorErrorInfo>();
    for (const [index, error] of locked) outcomes[index] = failure(writes[index]?.key ?? '', error);

    // A key sent twice in one batch goes through load, which applies its rows in order.
    const seen = new Map<string, number>();
    for (const write of writes) seen.set(write.key, (seen.get(write.key) ?? 0) + 1);
    const known = writes.flatMap((write, index) => {
      const id = knownId(knownTargetIds, write.key);
      return id === null || locked.has(index) || seen.get(write.key) !== 1 ? [] : [{ index, write, id }];
    });
    let toLoad = writes.map((_, index) => index).filter((index) => !locked.has(index));
    if (known.length > 0 && options.fieldTypes !== undefined) {
      const updates = await updateKnownRecords(call, model, known, options.fieldTypes, signal);
      for (const [index, id] of updates.done)
        outcomes[index] = { key: writes[index]?.key ?? '', ok: true, targetId: String(id), created: false };
      if (updates.groupWrites > 0 || updates.unchanged > 0)
        options.onKnownUpdates?.({ model, groupWrites: updates.groupWrites, unchanged: updates.unchanged });
      toLoad = toLoad.filter((index) => !updates.done.has(index));
    }
    if (toLoad.length > 0) await loadRest(call, writes, toLoad, outcomes, options);
  } catch (error) {
    const info = asInfo(error);
    writes.forEach((write, index) => {
      outcomes[index] ??= failure(write.key, info);
    });
  }
  return outcomes.map(
    (outcome, index) =>
      outcome ??
      failure(writes[index]?.key ?? '', { class: 'transient', code: 'odoo.not-sent', message: 'Not sent' }),
  );
}

async function loadRest(
  call: OrmCaller,
  writes: readonly TargetWrite[],
  toLoad: readonly number[],
  outcomes: (TargetOutcome | undefined)[],
  options: UpsertOptions,
): Promise<void> {
  const { model, signal, knownTargetIds } = options;
  const allKnown = toLoad.every((index) => knownId(knownTargetIds, writes[index]?.key ?? '') !== null);
  const before = allKnown ? null : await highestId(call, model, signal);
  const results = await loadInRounds(
    call,
    toLoad.map((index) => {
      const write = writes[index] as TargetWrite;
      return { externalId: qualifyExternalId(write.key, options.module), payload: write.payload };
    }),
    options,
  );
  results.forEach((result, position) => {
    const index = toLoad[position];
    const write = index === undefined ? undefined : writes[index];
    if (index === undefined || write === undefined) return;
    if (!result.ok) {
      outcomes[index] = failure(write.key, result.error);
      return;
    }
    const previous = knownId(knownTargetIds, write.key);
    // A known id that load kept is an update. A known key that comes back with another id was
    // made again (deleted in Odoo meanwhile: load re-creates it under its external ID). An
    // unknown key is judged by the id sequence.
    const created = previous !== null ? previous !== result.id : before === null || result.id > before;
    outcomes[index] = { key: write.key, ok: true, targetId: String(result.id), created };
  });
}
