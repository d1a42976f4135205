import { z } from 'zod';
import { ConnectorError, type ConnectorErrorInfo, type TargetWrite } from '../types.js';
import type { OrmCaller } from './orm-caller.js';

/**
 * Posted accounting is never changed by the console. Odoo 17 itself lets `load` rewrite a posted
 * invoice (no lock date set: 22.00 became 23.00, still posted), so the connector reads the state of
 * the records it is about to write, once per batch, and turns a write to a posted (or cancelled)
 * entry into a `conflict` outcome that tells the person what to do in Odoo instead.
 *
 * Limitation, by design of Odoo's rights: the record behind an external ID can only be found
 * through ir.model.data, which a least-privilege integration user cannot read. So only keys whose
 * Odoo id the engine recorded from an earlier write of the same flow (`knownTargetIds`) can be
 * checked. A key the console never recorded (its store was restored from an old backup, or the
 * record was created outside this flow under the same external ID) is written without the check.
 */

interface PostingModel {
  /** The field that holds the accounting state ('draft' | 'posted' | 'cancel'). */
  readonly stateField: string;
  readonly fields: readonly string[];
  /** What a person calls the record, e.g. "Invoice INV/2026/00003". */
  describe(row: Readonly<Record<string, unknown>>): string;
  /** How a person corrects a posted record in Odoo. */
  readonly correction: string;
}

const MOVE_TYPES: Readonly<Record<string, string>> = {
  out_invoice: 'Invoice',
  out_refund: 'Credit note',
  in_invoice: 'Vendor bill',
  in_refund: 'Vendor credit note',
  out_receipt: 'Sales receipt',
  in_receipt: 'Purchase receipt',
  entry: 'Journal entry',
};

// A draft without a number is named '/' in Odoo: say its id instead.
const text = (value: unknown): string =>
  typeof value === 'string' && value !== '' && value !== '/' ? value : '';
const nameOf = (value: unknown, fallback: string): string => {
  if (Array.isArray(value)) return text(value[1]) || fallback;
  return text(value) || fallback;
};
const CREDIT_NOTE_OR_DRAFT =
  'Correct it with a credit note, or have an accountant reset it to draft in Odoo, then retry this record.';

const POSTING_MODELS: Readonly<Record<string, PostingModel>> = {
  'account.move': {
    stateField: 'state',
    fields: ['state', 'name', 'move_type'],
    describe: (row) =>
      `${MOVE_TYPES[text(row.move_type)] ?? 'Journal entry'} ${nameOf(row.name, `id ${String(row.id)}`)}`,
    correction: CREDIT_NOTE_OR_DRAFT,
  },
  'account.move.line': {
    stateField: 'parent_state',
    fields: ['parent_state', 'move_id'],
    describe: (row) => `The journal item of ${nameOf(row.move_id, 'an entry')}`,
    correction: CREDIT_NOTE_OR_DRAFT,
  },
  'account.payment': {
    stateField: 'state',
    fields: ['state', 'name'],
    describe: (row) => `Payment ${nameOf(row.name, `id ${String(row.id)}`)}`,
    correction: 'Have an accountant reset it to draft in Odoo, then retry this record.',
  },
};

/** Whether writes to this model are checked for posted records at all (one call per batch when so). */
export function postingApplies(model: string): boolean {
  return Object.hasOwn(POSTING_MODELS, model);
}

const rowSchema = z.looseObject({ id: z.number().int() });

export function postedConflict(what: string, correction: string): ConnectorErrorInfo {
  return {
    class: 'conflict',
    code: 'odoo.posted',
    message: `${what} is posted in Odoo, so the console did not change it: posted accounting is never rewritten. ${correction}`,
  };
}

export function cancelledConflict(what: string): ConnectorErrorInfo {
  return {
    class: 'conflict',
    code: 'odoo.cancelled',
    message: `${what} is cancelled in Odoo, so the console did not change it. If it should change, have an accountant reset it to draft in Odoo, then retry this record.`,
  };
}

/**
 * The writes (by index) that must not reach Odoo because their record is posted or cancelled there.
 * Reads only the ids the engine knows for these keys, with one `search_read` (a record deleted in
 * Odoo in the meantime is simply absent: `load` then creates it again).
 */
export async function findLockedRecords(
  call: OrmCaller,
  model: string,
  writes: readonly TargetWrite[],
  knownTargetIds: ReadonlyMap<string, string> | undefined,
  signal?: AbortSignal,
): Promise<Map<number, ConnectorErrorInfo>> {
  const locked = new Map<number, ConnectorErrorInfo>();
  const posting = POSTING_MODELS[model];
  if (posting === undefined || knownTargetIds === undefined || knownTargetIds.size === 0) return locked;
  const indexesById = new Map<number, number[]>();
  writes.forEach((write, index) => {
    const id = Number(knownTargetIds.get(write.key));
    if (!Number.isSafeInteger(id) || id <= 0) return;
    indexesById.set(id, [...(indexesById.get(id) ?? []), index]);
  });
  if (indexesById.size === 0) return locked;
  const answer = await call(
    model,
    'search_read',
    [[['id', 'in', [...indexesById.keys()]]]],
    { fields: [...posting.fields], context: { active_test: false } },
    signal,
  );
  const rows = z.array(rowSchema).safeParse(answer);
  if (!rows.success) {
    throw new ConnectorError('permanent', 'odoo.bad-answer', `${model} answered in an unexpected shape`);
  }
  for (const row of rows.data) {
    const state = row[posting.stateField];
    const conflict =
      state === 'posted'
        ? postedConflict(posting.describe(row), posting.correction)
        : state === 'cancel'
          ? cancelledConflict(posting.describe(row))
          : null;
    if (conflict === null) continue;
    for (const index of indexesById.get(row.id) ?? []) locked.set(index, conflict);
  }
  return locked;
}
