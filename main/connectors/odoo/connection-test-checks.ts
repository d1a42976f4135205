import { z } from 'zod';
import { KEY_EXPIRY_WARNING_DAYS } from '../../../shared/domain/connection-credentials.js';
import type { ConnectionCheck } from '../../../shared/domain/connection-test.js';
import { ConnectorError } from '../types.js';
import type { OdooProtocol, OdooSession } from './odoo-session.js';
import type { RightNeed, RightsPlan } from './required-rights.js';

/** The per-right and per-key checks of "Test connection", kept apart from the orchestration. */

export type AddCheck = (
  id: string,
  label: string,
  status: ConnectionCheck['status'],
  message: string,
) => void;

/** Which Odoo app provides the models the demo flows use, to say what to install. */
const PROVIDING_APP: Readonly<Record<string, string>> = {
  'stock.move': 'Inventory (stock)',
  'stock.picking': 'Inventory (stock)',
  'stock.location': 'Inventory (stock)',
  'account.move': 'Invoicing (account)',
  'account.move.line': 'Invoicing (account)',
  'purchase.order': 'Purchase (purchase)',
  'purchase.order.line': 'Purchase (purchase)',
  'product.product': 'Sales or Inventory (product)',
};

function appHint(model: string): string {
  const app = PROVIDING_APP[model];
  return app === undefined ? '' : `: install the ${app} app`;
}

const neededBy = (reasons: readonly string[]): string => reasons.join('; ');

/** The model and field checks that need no call: what fields_get already showed missing. */
export function reportMissing(plan: RightsPlan, add: AddCheck): void {
  for (const missing of plan.missingModels) {
    add(
      `model:${missing.model}`,
      `Model ${missing.model}`,
      'failed',
      `The model ${missing.model} does not exist on this database${appHint(missing.model)}. Needed by ${neededBy(missing.reasons)}.`,
    );
  }
  for (const missing of plan.missingFields) {
    add(
      `field:${missing.model}:${missing.field}`,
      `Field ${missing.model}.${missing.field}`,
      'failed',
      `Odoo has no field '${missing.field}' on ${missing.model}, which ${neededBy(missing.reasons)} maps: fix the mapping's target field.`,
    );
  }
}

/**
 * One `check_access_rights` (JSON-RPC) or `has_access` (JSON-2, Odoo 18+) per (model, right) the
 * flows need, each reported with the flows that need it.
 */
export async function checkRights(
  session: OdooSession,
  protocol: OdooProtocol,
  login: string,
  rights: readonly RightNeed[],
  add: AddCheck,
  signal?: AbortSignal,
): Promise<void> {
  const absent = new Set<string>();
  for (const need of rights) {
    const { model, right } = need;
    if (absent.has(model)) continue;
    const id = `access:${model}:${right}`;
    const label = `${right} ${model}`;
    try {
      // Odoo 18 renamed check_access_rights to has_access; JSON-2 servers (19+) only know the new one.
      const allowed =
        protocol === 'json-2'
          ? await session.executeKw(model, 'has_access', [right], {}, signal)
          : await session.executeKw(
              model,
              'check_access_rights',
              [right],
              { raise_exception: false },
              signal,
            );
      if (allowed === true)
        add(id, label, 'passed', `${login} may ${right} ${model} (${neededBy(need.reasons)})`);
      else {
        add(
          id,
          label,
          'failed',
          `${login} may not ${right} ${model}: needed by ${neededBy(need.reasons)}. Ask the Odoo administrator to give the user a group with that right.`,
        );
      }
    } catch (error) {
      const failure = error instanceof ConnectorError ? error : null;
      if (failure?.code === 'odoo.unknown-model' || (failure?.code === 'http.404' && protocol === 'json-2')) {
        absent.add(model);
        add(
          `model:${model}`,
          `Model ${model}`,
          'failed',
          `The model ${model} does not exist on this database${appHint(model)}. Needed by ${neededBy(need.reasons)}.`,
        );
        continue;
      }
      add(
        id,
        label,
        'failed',
        `Could not check whether ${login} may ${right} ${model}: ${failure?.message ?? String(error)}`,
      );
      // The next checks would fail the same way (server gone, session lost): one line says it.
      return;
    }
  }
}

const contextSchema = z.looseObject({ uid: z.number().int() });
const keySchema = z.array(
  z.looseObject({ name: z.string(), expiration_date: z.union([z.string(), z.literal(false)]).optional() }),
);

/**
 * JSON-2 keys expire: verify the bearer key itself and warn well before it stops working. Returns the
 * uid or null. Odoo does not say which of the user's keys a request used (only a hash is stored), so
 * the soonest expiry among the user's keys is the one reported. The facts `keyExpiresAt` (ISO 8601,
 * UTC) and `keyName` let the console keep showing "expires in N days" after the test.
 */
export async function checkApiKeyExpiry(
  session: OdooSession,
  add: AddCheck,
  facts: Record<string, string>,
  signal?: AbortSignal,
): Promise<number | null> {
  let uid: number;
  try {
    const context = contextSchema.parse(await session.executeKw('res.users', 'context_get', [], {}, signal));
    uid = context.uid;
  } catch (error) {
    const failure = error instanceof ConnectorError ? error : null;
    add(
      'api-key',
      'API key (JSON-2)',
      'failed',
      failure?.class === 'authentication'
        ? 'Odoo rejected the API key on JSON-2: it has expired or was revoked. Create a new key in Odoo and save it here.'
        : `Could not verify the API key: ${failure?.message ?? String(error)}`,
    );
    return null;
  }
  try {
    const keys = keySchema.parse(
      await session.executeKw(
        'res.users.apikeys',
        'search_read',
        [[['user_id', '=', uid]]],
        { fields: ['name', 'expiration_date'] },
        signal,
      ),
    );
    const soonest = keys
      .flatMap((key) =>
        typeof key.expiration_date === 'string' ? [{ name: key.name, at: key.expiration_date }] : [],
      )
      .sort((a, b) => a.at.localeCompare(b.at))[0];
    if (soonest === undefined) {
      facts.keyExpiresAt = 'never';
      add('api-key', 'API key (JSON-2)', 'passed', 'The API key works and does not expire');
      return uid;
    }
    // Odoo's datetimes are UTC without a zone: "2026-12-02 18:55:10".
    const expiresAt = Date.parse(`${soonest.at.replace(' ', 'T')}Z`);
    facts.keyExpiresAt = new Date(expiresAt).toISOString();
    facts.keyName = soonest.name;
    const days = (expiresAt - Date.now()) / 86_400_000;
    if (days < KEY_EXPIRY_WARNING_DAYS) {
      add(
        'api-key',
        'API key (JSON-2)',
        'warning',
        `The API key '${soonest.name}' expires on ${soonest.at.slice(0, 10)} (in ${Math.max(0, Math.floor(days))} days): create a new one before then.`,
      );
    } else {
      add(
        'api-key',
        'API key (JSON-2)',
        'passed',
        `The API key works; it expires on ${soonest.at.slice(0, 10)}`,
      );
    }
  } catch {
    add(
      'api-key',
      'API key (JSON-2)',
      'passed',
      'The API key works (its expiry date is not readable by this user)',
    );
  }
  return uid;
}
