/**
 * The writes a console sent to Odoo, per record, read off the wire by the crash test's proxy: each
 * `load` row by its external ID (the `id` column), each `write` by Odoo id, each `create` by model.
 * With the ids Odoo answered for each external ID, the test can tell a record created twice (one
 * external ID, two Odoo ids) from one merely sent twice, and bound how many records were sent again
 * after the kills: only the batches in flight at a kill may be; a resume that forgot its checkpoint
 * sends far more.
 */

export interface RecordWrites {
  /** Times each record was sent: its external ID for `load` rows, `#<id>` for `write` calls. */
  readonly sent: ReadonlyMap<string, number>;
  /** The Odoo ids `load` answered for each external ID (one, unless the record was created twice). */
  readonly idsOf: ReadonlyMap<string, ReadonlySet<number>>;
  /** Records sent through `create` (no external ID on the wire). */
  readonly created: number;
  /**
   * Rows of `load` calls that Odoo answered and rolled back as a whole (`ids: false`): sent, but
   * nothing of them was written. After a kill, the resumed batch can meet the dead console's call
   * still running in Odoo ("could not serialize access due to concurrent update"); Odoo rolls the
   * resumed batch back and the console sends it again after a pause.
   */
  readonly rolledBack: number;
}

interface OrmCall {
  readonly model: string;
  readonly method: string;
  readonly args: readonly unknown[];
  readonly named: Readonly<Record<string, unknown>>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An ORM call from a JSON-2 path + body, or a JSON-RPC `object.execute_kw` body. */
function ormCall(path: string, body: string): OrmCall | null {
  const parsed = parseJson(body);
  const json2 = /^\/json\/2\/([^/?]+)\/([^/?]+)/.exec(path);
  if (json2 !== null) {
    return {
      model: decodeURIComponent(json2[1] ?? ''),
      method: decodeURIComponent(json2[2] ?? ''),
      args: [],
      named: isRecord(parsed) ? parsed : {},
    };
  }
  if (!path.startsWith('/jsonrpc') || !isRecord(parsed) || !isRecord(parsed.params)) return null;
  const { service, method, args } = parsed.params;
  if (service !== 'object' || method !== 'execute_kw' || !Array.isArray(args)) return null;
  const [, , , model, ormMethod, positional, kwargs] = args as unknown[];
  if (typeof model !== 'string' || typeof ormMethod !== 'string') return null;
  return {
    model,
    method: ormMethod,
    args: Array.isArray(positional) ? positional : [],
    named: isRecord(kwargs) ? kwargs : {},
  };
}

/** The method's result: JSON-RPC wraps it in `result`, JSON-2 answers it bare. */
function resultOf(path: string, answer: string | null): unknown {
  if (answer === null) return null;
  const parsed = parseJson(answer);
  if (path.startsWith('/jsonrpc')) return isRecord(parsed) ? (parsed.result ?? null) : null;
  return parsed;
}

export function recordWrites(): {
  observe(path: string, body: string, answer: string | null): void;
  of(model: string): RecordWrites;
} {
  const byModel = new Map<
    string,
    { sent: Map<string, number>; idsOf: Map<string, Set<number>>; created: number; rolledBack: number }
  >();
  const model = (name: string) => {
    let entry = byModel.get(name);
    if (entry === undefined) {
      entry = { sent: new Map(), idsOf: new Map(), created: 0, rolledBack: 0 };
      byModel.set(name, entry);
    }
    return entry;
  };
  const send = (entry: { sent: Map<string, number> }, key: string): void => {
    entry.sent.set(key, (entry.sent.get(key) ?? 0) + 1);
  };

  return {
    observe(path, body, answer) {
      const call = ormCall(path, body);
      if (call === null) return;
      const entry = model(call.model);
      if (call.method === 'load') {
        const fields = call.named.fields ?? call.args[0];
        const rows = call.named.data ?? call.args[1];
        if (!Array.isArray(fields) || !Array.isArray(rows)) return;
        const column = fields.indexOf('id');
        if (column < 0) return;
        const result = resultOf(path, answer);
        const ids = isRecord(result) && Array.isArray(result.ids) ? (result.ids as unknown[]) : [];
        // An answer with `ids: false` is Odoo's whole-batch rollback: nothing of it was written.
        if (isRecord(result) && result.ids === false) entry.rolledBack += rows.length;
        rows.forEach((row: unknown, index) => {
          if (!Array.isArray(row) || typeof row[column] !== 'string') return;
          const externalId = row[column];
          send(entry, externalId);
          const id = ids[index];
          if (typeof id !== 'number') return;
          const known = entry.idsOf.get(externalId) ?? new Set<number>();
          known.add(id);
          entry.idsOf.set(externalId, known);
        });
      } else if (call.method === 'write') {
        const ids = call.named.ids ?? call.args[0];
        if (Array.isArray(ids)) for (const id of ids) send(entry, `#${String(id)}`);
      } else if (call.method === 'create') {
        const values = call.named.vals_list ?? call.args[0];
        entry.created += Array.isArray(values) ? values.length : 1;
      }
    },
    of(name) {
      const entry = model(name);
      return {
        sent: new Map(entry.sent),
        idsOf: new Map(entry.idsOf),
        created: entry.created,
        rolledBack: entry.rolledBack,
      };
    },
  };
}
