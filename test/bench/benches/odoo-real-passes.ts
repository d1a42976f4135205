import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import type { TargetOutcome, TargetWrite } from '../../../main/connectors/types.js';

/**
 * The measured passes of the real-Odoo bench: records per second for the connector's batched
 * upsert and for one ORM call per record, over the same res.partner records. Every pass checks
 * its outcomes (created / updated as expected, nothing failed), so a fast but wrong path fails the
 * bench instead of improving it.
 */

export const BATCH_SIZE = 500;

export interface Patient {
  readonly key: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export function patients(prefix: string, count: number, change: Record<string, unknown> = {}): Patient[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `bench_${prefix}_${index}`,
    payload: {
      name: `Bench patient ${prefix} ${index}`,
      email: `${prefix}${index}@clinic.example`,
      ref: `MRN-${prefix}-${index}`,
      ...change,
    },
  }));
}

/** Every outcome ok, and created exactly when expected. */
function check(outcomes: readonly TargetOutcome[], created: boolean, what: string): void {
  const wrong = outcomes.find((outcome) => !outcome.ok || outcome.created !== created);
  if (wrong !== undefined)
    throw new Error(`${what}: ${JSON.stringify(wrong)} (expected created=${String(created)})`);
}

export interface Timer {
  seconds: number;
}

async function timed<T>(timer: Timer, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timer.seconds += (performance.now() - started) / 1000;
  }
}

/** One `create` call per record (a naive integration). Returns the ids. */
export async function createOneByOne(
  odoo: OdooConnector,
  records: readonly Patient[],
  timer: Timer,
): Promise<number[]> {
  const ids: number[] = [];
  for (const record of records) {
    const [id] = await timed(timer, () => odoo.create('res.partner', [record.payload]));
    if (id === undefined) throw new Error('create returned no id');
    ids.push(id);
  }
  return ids;
}

/** One `write` call per record, with the record's whole payload (a naive integration). */
export async function writeOneByOne(
  odoo: OdooConnector,
  ids: readonly number[],
  records: readonly Patient[],
  timer: Timer,
): Promise<void> {
  for (const [index, record] of records.entries()) {
    const id = ids[index];
    if (id === undefined) throw new Error('no id to write');
    const done = await timed(timer, () => odoo.write('res.partner', [id], record.payload));
    if (!done) throw new Error(`write of ${id} answered false`);
  }
}

/** The connector's batched upsert, in batches as the engine sends them; returns key → id. */
export async function upsertInBatches(
  odoo: OdooConnector,
  records: readonly TargetWrite[],
  timer: Timer,
  expectCreated: boolean,
  knownTargetIds?: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let start = 0; start < records.length; start += BATCH_SIZE) {
    const batch = records.slice(start, start + BATCH_SIZE);
    const outcomes = await timed(timer, () =>
      odoo.upsert('res.partner', batch, knownTargetIds === undefined ? {} : { knownTargetIds }),
    );
    check(outcomes, expectCreated, 'upsert');
    for (const outcome of outcomes) if (outcome.ok) ids.set(outcome.key, outcome.targetId);
  }
  return ids;
}
