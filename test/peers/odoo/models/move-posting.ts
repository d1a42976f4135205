import type { Database } from '../database.js';
import type { StoredRecord } from '../model-types.js';
import { userError } from '../odoo-error.js';

/**
 * Posting invoices and bills (account.move's action_post) and numbering them as a fresh Odoo 17
 * does: the checks of `_post` in their order and wording, numbers from the journal's sequence on
 * the invoice date (sales yearly, INV/2024/00001; purchases monthly, BILL/2024/07/0001), and the
 * very first draft of a journal numbered at once (later drafts show "/" until posted).
 */

export function linesOf(db: Database, model: string, inverse: string, parentId: number): StoredRecord[] {
  return db.idsWithValue(model, inverse, parentId).map((id) => db.record(model, id) as StoredRecord);
}

const MOVE_TYPE_LABELS: Readonly<Record<string, string>> = {
  out_invoice: 'Customer Invoice',
  in_invoice: 'Vendor Bill',
  out_refund: 'Customer Credit Note',
  in_refund: 'Vendor Credit Note',
};

const SEQUENCES: Readonly<Record<string, { readonly prefix: string; readonly monthly: boolean }>> = {
  out_invoice: { prefix: 'INV', monthly: false },
  out_refund: { prefix: 'RINV', monthly: false },
  in_invoice: { prefix: 'BILL', monthly: true },
  in_refund: { prefix: 'RBILL', monthly: true },
  entry: { prefix: 'MISC', monthly: true },
};

const unset = (value: unknown): boolean => value === false || value === undefined || value === null;

function nextNumber(db: Database, move: StoredRecord): string {
  const sequence = SEQUENCES[String(move.move_type)] ?? { prefix: 'MISC', monthly: true };
  const date = unset(move.invoice_date) ? db.now() : String(move.invoice_date);
  const period = sequence.monthly ? `${date.slice(0, 4)}/${date.slice(5, 7)}` : date.slice(0, 4);
  const stem = `${sequence.prefix}/${period}/`;
  const taken = db.idsWhere(
    'account.move',
    (row) => typeof row.name === 'string' && row.name.startsWith(stem),
  ).length;
  return `${stem}${String(taken + 1).padStart(sequence.monthly ? 4 : 5, '0')}`;
}

/**
 * The number a new move gets: in 17.0 its journal's first move is numbered at once, later ones get
 * "/"; 19.0 numbers a move only when it is posted (a draft's name is false).
 */
export function firstDraftNumber(record: StoredRecord, db: Database): string | false {
  if (db.series === '19.0') return false;
  const prefix = SEQUENCES[String(record.move_type)]?.prefix;
  if (prefix === undefined) return '/';
  // Stops at the journal's first move: creating 100k invoices must not scan 100k rows each.
  const journalUsed = db.anyWhere(
    'account.move',
    (row) => row.id !== record.id && SEQUENCES[String(row.move_type)]?.prefix === prefix,
  );
  return journalUsed ? '/' : nextNumber(db, record);
}

/** account.move's action_post, which answers False in Odoo 17. */
export function postMoves(db: Database, ids: readonly number[], uid: number): boolean {
  const moves = db.browse('account.move', ids, uid);
  for (const move of moves) {
    const type = String(move.move_type);
    const label = MOVE_TYPE_LABELS[type];
    if (label === undefined) continue;
    if (typeof move.partner_id !== 'number') {
      if (db.series === '19.0' && type.startsWith('out'))
        throw userError(
          "The 'Customer' field is required to validate the invoice.\nYou probably don't want to explain to your auditor that you invoiced an invisible man :)",
        );
      throw userError(
        `The field '${type.startsWith('out') ? 'Customer' : 'Vendor'}' is required, please complete it to validate the ${label}.`,
      );
    }
    if (unset(move.invoice_date)) {
      if (type.startsWith('in'))
        throw userError('The Bill/Refund date is required to validate this document.');
      db.write('account.move', [move.id], { invoice_date: db.now().slice(0, 10) }, uid);
    }
  }
  for (const move of moves) {
    if (move.state === 'posted' || move.state === 'cancel')
      throw userError(`The entry ${String(move.name)} (id ${move.id}) must be in draft.`);
    if (linesOf(db, 'account.move.line', 'move_id', move.id).length === 0)
      throw userError(
        db.series === '17.0'
          ? 'You need to add a line before posting.'
          : "Even magicians can't post nothing!",
      );
    const name = move.name === '/' || unset(move.name) ? nextNumber(db, move) : move.name;
    db.write('account.move', [move.id], { state: 'posted', name }, uid);
  }
  return false;
}
