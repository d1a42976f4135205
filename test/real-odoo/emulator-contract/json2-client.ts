import { ORM_SIGNATURES, RECORD_METHOD } from '../../peers/odoo/orm-signatures.js';
import { for19 } from './odoo19-requests.js';
import type { ContractTarget, RpcAnswer } from './replay.js';

/**
 * The contract's JSON-2 client (Odoo 19): an ORM call of a step, written with positional
 * arguments as for execute_kw, sent as JSON-2's named arguments (the names of Odoo's Python
 * signatures), and every answer put in one shape both servers are compared in:
 * - success: `{ result }` (the bare return value; a Python None is null);
 * - a JSON error: `{ status, error: { name, message, arguments, context, debug } }`;
 * - an HTML page (wrong database, wrong content type): `{ status, html: <its <title>> }`.
 */

/** Positional arguments by the parameter names JSON-2 wants; extras keep a made-up name. */
export function namedArguments(
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const signature = ORM_SIGNATURES[method] ?? RECORD_METHOD;
  const positional = [...args];
  const named: Record<string, unknown> = {};
  if (signature.onRecords && positional.length > 0) named.ids = positional.shift();
  positional.forEach((value, index) => {
    named[signature.params[index] ?? `extra_argument_${index}`] = value;
  });
  return { ...named, ...kwargs };
}

export async function json2Fetch(url: string, path: string, init: RequestInit): Promise<RpcAnswer> {
  const response = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(120_000) });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (!type.startsWith('application/json'))
    return {
      status: response.status,
      type: type.split(';')[0],
      html: /<title>(.*)<\/title>/.exec(text)?.[1],
    };
  const body: unknown = JSON.parse(text);
  return response.ok ? { result: body } : { status: response.status, error: body };
}

export function json2Kw(
  target: ContractTarget,
  key: string,
  model: string,
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): Promise<RpcAnswer> {
  const call = for19(model, method, args, kwargs);
  return json2Fetch(target.url, `/json/2/${model}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `bearer ${key}`,
      'x-odoo-database': target.database,
    },
    body: JSON.stringify(namedArguments(method, call.args, call.kwargs)),
  });
}
