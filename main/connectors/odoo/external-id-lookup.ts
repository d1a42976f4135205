import { z } from 'zod';
import { ConnectorError } from '../types.js';
import { splitExternalId } from './external-ids.js';
import type { OrmCaller } from './orm-caller.js';

/**
 * Bulk lookup of external IDs through ir.model.data (`_xmlid_to_res_id` is private over RPC).
 * Odoo 17 lets only Administration / Access Rights read ir.model.data, so this is for admin-only
 * tooling: the write path never calls it (a least-privilege integration user gets AccessError).
 */

export interface ExternalIdTarget {
  readonly model: string;
  readonly resId: number;
}

const rowSchema = z.object({ name: z.string(), model: z.string(), res_id: z.number().int() });
const CHUNK = 500;

export async function lookupExternalIds(
  call: OrmCaller,
  fullNames: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, ExternalIdTarget>> {
  const byModule = new Map<string, string[]>();
  for (const fullName of new Set(fullNames)) {
    const { module, name } = splitExternalId(fullName);
    if (module === '') continue;
    const names = byModule.get(module) ?? [];
    names.push(name);
    byModule.set(module, names);
  }
  const found = new Map<string, ExternalIdTarget>();
  for (const [module, names] of byModule) {
    for (let start = 0; start < names.length; start += CHUNK) {
      const chunk = names.slice(start, start + CHUNK);
      const result = await call(
        'ir.model.data',
        'search_read',
        [
          [
            ['module', '=', module],
            ['name', 'in', chunk],
          ],
        ],
        { fields: ['name', 'model', 'res_id'] },
        signal,
      );
      const rows = z.array(rowSchema).safeParse(result);
      if (!rows.success) {
        throw new ConnectorError(
          'permanent',
          'odoo.bad-answer',
          'ir.model.data answered in an unexpected shape',
        );
      }
      for (const row of rows.data)
        found.set(`${module}.${row.name}`, { model: row.model, resId: row.res_id });
    }
  }
  return found;
}
