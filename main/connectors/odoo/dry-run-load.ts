import { ConnectorError, type ConnectorErrorInfo, type TargetWrite } from '../types.js';
import { qualifyExternalId } from './external-ids.js';
import { buildLoadTable, loadResultSchema, rowErrorInfo, recordOfMessage } from './load-batch.js';
import { LOAD_CONTEXT } from './load-rounds.js';
import type { OrmCaller } from './orm-caller.js';

/**
 * Odoo checks writes without keeping them: `load` inside a transaction Odoo itself rolls back.
 *
 * Odoo's import dry-run (`base_import.import.execute_import(..., dryrun=True)`) needs a
 * `base_import.import` record holding the file: a least-privilege integration user may create it but
 * not delete it (base_import's access rule grants no unlink), so the records' data would stay in
 * Odoo until the transient vacuum. Instead this sends ONE `load` whose first row is a guard: it
 * names an external id that exists in every database but belongs to another model (`base.us`, a
 * country; `base.main_partner` when the target is res.country). Odoo 17 and 19 `load`:
 * 1. converts every row (unknown references, bad selection values, dates, numbers: every row);
 * 2. tries to save the batch; the guard makes `_load_records` raise a ValidationError before
 *    anything is saved, so Odoo saves the rows again one by one, each in its own savepoint, running
 *    create/write with every constraint, required field, access rule and SQL check, and logs an error
 *    per failing row;
 * 3. because an error was logged (the guard's, always), rolls the whole load back (`ids: false`).
 * Nothing is committed. What it does not undo: PostgreSQL sequences (ids and `standard` ir.sequence
 * numbers used inside the savepoints are skipped, not reused), and work Odoo does after commit only.
 * What it does not check: anything the console's real write does after the load (none for upserts),
 * and posting or server actions. Odoo stops saving one by one after 10 errors, so at most
 * GUARDED_BATCH rows (+ the guard) go per call and every row always gets its answer.
 */

/** 8 rows + the guard: at most 9 save errors, under Odoo's cut-off of 10. */
export const GUARDED_BATCH = 8;

export type DryRunVerdict =
  { readonly ok: true } | { readonly ok: false; readonly error: ConnectorErrorInfo };

const GUARD_COUNTRY = 'base.us';
const GUARD_PARTNER = 'base.main_partner';

export function guardExternalId(model: string): string {
  return model === 'res.country' ? GUARD_PARTNER : GUARD_COUNTRY;
}

function isGuardMessage(text: string, guard: string): boolean {
  return text.includes(`For external id ${guard} `);
}

/** One guarded load; a verdict per write, in order. */
async function checkBatch(
  call: OrmCaller,
  model: string,
  module: string,
  writes: readonly TargetWrite[],
  signal?: AbortSignal,
): Promise<DryRunVerdict[]> {
  const guard = guardExternalId(model);
  const table = buildLoadTable([
    { externalId: guard, payload: {} },
    ...writes.map((write) => ({ externalId: qualifyExternalId(write.key, module), payload: write.payload })),
  ]);
  const answer = loadResultSchema.safeParse(
    await call(model, 'load', [table.fields, table.rows], { context: LOAD_CONTEXT }, signal),
  );
  if (!answer.success)
    throw new ConnectorError('permanent', 'odoo.bad-answer', `${model}.load answered in an unexpected shape`);
  if (answer.data.ids !== false) {
    // The guard did not fail: Odoo kept the rows. Never expected; say so loudly instead of guessing.
    throw new ConnectorError(
      'configuration',
      'odoo.dry-run-kept',
      `Odoo accepted the guard row of ${model}: the check was not rolled back (ids ${answer.data.ids.join(', ')}).`,
    );
  }
  const errors = new Map<number, ConnectorErrorInfo>();
  for (const message of answer.data.messages) {
    if (message.type !== 'error') continue;
    const index = recordOfMessage(message, table.recordStartRows);
    if (index === null || index === 0) continue; // the guard's own error
    if (isGuardMessage(message.message, guard)) continue;
    const info = rowErrorInfo(message);
    const previous = errors.get(index - 1);
    errors.set(
      index - 1,
      previous === undefined ? info : { ...previous, message: `${previous.message}; ${info.message}` },
    );
  }
  const guardRefused = answer.data.messages.some(
    (message) => message.type === 'error' && isGuardMessage(message.message, guard),
  );
  if (!guardRefused)
    throw new ConnectorError(
      'permanent',
      'odoo.dry-run-guard',
      `Odoo did not refuse the guard row of ${model}: the rows' verdicts cannot be trusted.`,
    );
  return writes.map((_, index) => {
    const error = errors.get(index);
    return error === undefined ? { ok: true } : { ok: false, error };
  });
}

/** Odoo's verdict on each write, nothing kept: guarded loads of GUARDED_BATCH rows. */
export async function dryRunLoad(
  call: OrmCaller,
  model: string,
  module: string,
  writes: readonly TargetWrite[],
  signal?: AbortSignal,
): Promise<DryRunVerdict[]> {
  const verdicts: DryRunVerdict[] = [];
  for (let start = 0; start < writes.length; start += GUARDED_BATCH) {
    verdicts.push(
      ...(await checkBatch(call, model, module, writes.slice(start, start + GUARDED_BATCH), signal)),
    );
  }
  return verdicts;
}
