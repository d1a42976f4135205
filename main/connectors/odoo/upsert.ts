import { ConnectorError, type ConnectorErrorInfo, type TargetOutcome, type TargetWrite } from '../types.js';
import { lookupExternalIds } from './external-id-lookup.js';
import { qualifyExternalId } from './external-ids.js';
import { buildLoadTable, loadResultSchema, rowErrors } from './load-batch.js';
import type { OrmCaller } from './orm-caller.js';

/**
 * Idempotent batched upsert through `load`. Odoo applies a load all-or-nothing: when some rows fail
 * it writes nothing and names the failing records in `messages`. Those records get their own
 * precise error and the rest of the batch is sent again, so one bad row never blocks the others.
 * A server error that names no row (unknown column, access) fails every record still pending.
 */

export interface UpsertOptions {
  readonly model: string;
  readonly module: string;
  readonly signal?: AbortSignal;
  /** Told how many rows Odoo rejected in a round (counts and codes only: payloads may be personal data). */
  readonly onRejectedRows?: (details: {
    model: string;
    rejected: number;
    remaining: number;
    codes: string[];
  }) => void;
}

interface Pending {
  readonly index: number;
  readonly externalId: string;
  readonly write: TargetWrite;
}

function failure(key: string, error: ConnectorErrorInfo): TargetOutcome {
  return { key, ok: false, error };
}

export async function upsertByLoad(
  call: OrmCaller,
  writes: readonly TargetWrite[],
  options: UpsertOptions,
): Promise<TargetOutcome[]> {
  const outcomes: (TargetOutcome | undefined)[] = new Array<TargetOutcome | undefined>(writes.length);
  let pending: Pending[] = writes.map((write, index) => ({
    index,
    write,
    externalId: qualifyExternalId(write.key, options.module),
  }));
  if (pending.length === 0) return [];

  try {
    // Knowing which names exist beforehand is what lets each outcome say created vs updated.
    const existing = await lookupExternalIds(
      call,
      pending.map((item) => item.externalId),
      options.signal,
    );
    // Each round either lands everything or removes at least one named row, so this is bounded.
    for (let round = 0; pending.length > 0 && round <= writes.length; round += 1) {
      const table = buildLoadTable(
        pending.map((item) => ({ externalId: item.externalId, payload: item.write.payload })),
      );
      const raw = await call(options.model, 'load', [table.fields, table.rows], {}, options.signal);
      const parsed = loadResultSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ConnectorError('permanent', 'odoo.bad-answer', 'load answered in an unexpected shape');
      }
      const result = parsed.data;
      if (result.ids !== false) {
        if (result.ids.length !== pending.length) {
          throw new ConnectorError(
            'permanent',
            'odoo.bad-answer',
            'load returned a different number of ids than records',
          );
        }
        result.ids.forEach((id, position) => {
          const item = pending[position];
          if (item === undefined) return;
          const known = existing.get(item.externalId);
          outcomes[item.index] = {
            key: item.write.key,
            ok: true,
            targetId: String(id),
            created: known === undefined || known.model !== options.model,
          };
        });
        pending = [];
        break;
      }
      const errors = rowErrors(result, table.recordStartRows);
      if (errors.size === 0) {
        const text =
          result.messages.map((message) => message.message).join('; ') || 'Odoo rejected the batch';
        for (const item of pending)
          outcomes[item.index] = failure(item.write.key, {
            class: 'permanent',
            code: 'odoo.load-rejected',
            message: text,
          });
        pending = [];
        break;
      }
      options.onRejectedRows?.({
        model: options.model,
        rejected: errors.size,
        remaining: pending.length - errors.size,
        codes: [...new Set([...errors.values()].map((error) => error.code))],
      });
      const next: Pending[] = [];
      pending.forEach((item, position) => {
        const error = errors.get(position);
        if (error === undefined) next.push(item);
        else outcomes[item.index] = failure(item.write.key, error);
      });
      pending = next;
    }
  } catch (error) {
    const info: ConnectorErrorInfo =
      error instanceof ConnectorError
        ? error.toInfo()
        : {
            class: 'transient',
            code: 'odoo.unexpected',
            message: error instanceof Error ? error.message : String(error),
          };
    for (const item of pending) outcomes[item.index] ??= failure(item.write.key, info);
  }
  return outcomes.map(
    (outcome, index) =>
      outcome ??
      failure(writes[index]?.key ?? '', { class: 'transient', code: 'odoo.not-sent', message: 'Not sent' }),
  );
}
