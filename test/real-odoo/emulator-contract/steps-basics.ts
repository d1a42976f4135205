import { ALL_MODELS, modelsFor } from '../../peers/odoo/models/index.js';
import { withoutIds } from './normalize.js';
import type { ContractStep, StepContext } from './replay.js';

/**
 * Contract steps about the session, reads, errors and rights: what the console's connector and
 * Test connection rely on, for the admin and for the least-privilege integration user.
 */

const OPERATIONS = ['read', 'write', 'create', 'unlink'] as const;

/** The models the emulator has (and their fields): fields_get and rights are compared on them all. */
const MODELS = ALL_MODELS.map((model) => model.name);

export const SESSION_STEPS: readonly ContractStep[] = [
  {
    name: 'version',
    about: 'common.version',
    run: (c) => c.call('common', 'version', []),
  },
  {
    name: 'authenticate-integration',
    about: 'common.authenticate with an API key',
    run: (c) =>
      c.call('common', 'authenticate', [
        c.target.database,
        c.target.integration.login,
        c.target.integration.key,
        {},
      ]),
    view: (answer: { result?: unknown }, c) => ({
      ...answer,
      result: answer.result === c.uid('integration'),
    }),
  },
  {
    name: 'authenticate-wrong-key',
    about: 'common.authenticate with a wrong key answers false',
    run: (c) =>
      c.call('common', 'authenticate', [c.target.database, c.target.integration.login, 'not-the-key', {}]),
  },
  {
    name: 'authenticate-wrong-login',
    about: 'common.authenticate with an unknown login answers false',
    run: (c) => c.call('common', 'authenticate', [c.target.database, 'nobody-here', 'x', {}]),
  },
  {
    name: 'execute-wrong-key',
    about: 'execute_kw with a wrong key: AccessDenied',
    run: (c) =>
      c.call('object', 'execute_kw', [
        c.target.database,
        c.uid('integration'),
        'not-the-key',
        'res.partner',
        'search_count',
        [[]],
      ]),
  },
];

export const ERROR_STEPS: readonly ContractStep[] = [
  {
    name: 'unknown-model',
    about: 'a model that does not exist',
    run: (c) => c.kw('integration', 'res.nope', 'search', [[]]),
  },
  {
    name: 'unknown-method',
    about: 'a method that does not exist',
    run: (c) => c.kw('integration', 'res.partner', 'frobnicate', [[]]),
  },
  {
    name: 'private-method',
    about: 'a private method',
    run: (c) => c.kw('integration', 'ir.model.data', '_xmlid_to_res_id', ['base.main_partner']),
  },
  {
    name: 'unknown-field-in-domain',
    about: 'search_read on a field that does not exist',
    run: (c) => c.kw('integration', 'res.partner', 'search_read', [[['nope', '=', 1]]], { fields: ['name'] }),
  },
  {
    name: 'unknown-field-in-read',
    about: 'search_read asking for a field that does not exist',
    run: (c) => c.kw('integration', 'res.partner', 'search_read', [[['id', '=', 1]]], { fields: ['nope'] }),
  },
  {
    name: 'missing-write',
    about: 'write to a deleted record: MissingError naming the first missing id',
    run: (c) => c.kw('integration', 'res.partner', 'write', [[999_999, 999_998], { name: 'x' }]),
  },
  {
    name: 'missing-read',
    about: 'read of a deleted record answers nothing',
    run: (c) => c.kw('integration', 'res.partner', 'read', [[999_999]], { fields: ['name'] }),
  },
  {
    name: 'missing-unlink',
    about: 'unlink of a deleted record: MissingError',
    run: (c) => c.kw('integration', 'stock.move', 'unlink', [[999_999]]),
  },
  {
    name: 'missing-action',
    about: 'a button on a deleted record: MissingError',
    run: (c) => c.kw('integration', 'account.move', 'action_post', [[999_999]]),
  },
  {
    name: 'required-on-create',
    about: 'create without a required field: ValidationError',
    run: (c) =>
      c.kw('integration', 'stock.move', 'create', [{ name: 'x', location_id: 8, location_dest_id: 5 }]),
  },
  {
    name: 'bad-selection-on-create',
    about: 'create with a value outside a selection: ValueError',
    run: (c) => c.kw('integration', 'res.partner', 'create', [{ name: 'x', type: 'bogus' }]),
  },
  {
    name: 'bad-float-on-create',
    about: 'create with text in a float field: ValueError',
    run: (c) => c.kw('integration', 'res.partner', 'create', [{ name: 'x', partner_latitude: 'abc' }]),
  },
  {
    name: 'too-many-arguments',
    about: 'too many positional arguments: TypeError',
    run: (c) => c.kw('integration', 'res.partner', 'search_read', [[], ['name'], 0, 1, 'id', 5]),
  },
  {
    name: 'missing-argument',
    about: 'a missing positional argument: TypeError',
    run: (c) => c.kw('integration', 'res.partner', 'write', [[1]]),
  },
  {
    name: 'unknown-kwarg',
    about: 'an unexpected keyword argument: TypeError',
    run: (c) => c.kw('integration', 'res.partner', 'search_read', [[]], { colour: 'red' }),
  },
];

function rightsStep(who: 'admin' | 'integration'): ContractStep {
  return {
    name: `rights-${who}`,
    about: `check_access_rights of every emulated model for ${who}`,
    run: async (c: StepContext) => {
      const rights: Record<string, unknown> = {};
      for (const model of MODELS)
        for (const operation of OPERATIONS)
          rights[`${model} ${operation}`] = await c.kw(who, model, 'check_access_rights', [operation]);
      return rights;
    },
  };
}

export const ACCESS_STEPS: readonly ContractStep[] = [
  rightsStep('integration'),
  rightsStep('admin'),
  {
    name: 'imd-read-integration',
    about: 'the integration user cannot read ir.model.data',
    run: (c) =>
      c.kw('integration', 'ir.model.data', 'search_read', [[['module', '=', 'stock']]], {
        fields: ['name'],
        limit: 1,
      }),
  },
  {
    name: 'imd-read-admin',
    about: 'admin can read ir.model.data: the stock locations with an external id',
    run: (c) =>
      c.kw('admin', 'ir.model.data', 'search_read', [[['model', '=', 'stock.location']]], {
        fields: ['complete_name', 'model'],
        order: 'name',
      }),
    view: (answer: { result?: unknown }) => ({ ...answer, result: withoutIds(answer.result) }),
  },
  {
    name: 'object-reference-integration',
    about: 'check_object_reference works without ir.model.data rights',
    run: async (c) => ({
      stock: await c.kw('integration', 'ir.model.data', 'check_object_reference', [
        'stock',
        'stock_location_stock',
      ]),
      archived: await c.kw('integration', 'ir.model.data', 'check_object_reference', [
        'stock',
        'stock_location_output',
      ]),
      missing: await c.kw('integration', 'ir.model.data', 'check_object_reference', [
        'stock',
        'location_consumption',
      ]),
    }),
    view: (answer: Record<string, { result?: unknown[] }>) =>
      Object.fromEntries(
        Object.entries(answer).map(([key, value]) => [
          key,
          Array.isArray(value.result) ? { result: [value.result[0], typeof value.result[1]] } : value,
        ]),
      ),
  },
  {
    name: 'create-user-integration',
    about: 'the integration user cannot create users',
    run: (c) => c.kw('integration', 'res.users', 'create', [{ name: 'Nope', login: 'nope' }]),
  },
  {
    name: 'create-product-integration',
    about: 'the integration user cannot create products',
    run: (c) => c.kw('integration', 'product.product', 'create', [{ name: 'Nope' }]),
  },
  {
    name: 'create-location-integration',
    about: 'the integration user cannot create stock locations',
    run: (c) => c.kw('integration', 'stock.location', 'create', [{ name: 'Nope', usage: 'inventory' }]),
  },
  {
    name: 'fields-get',
    about: 'fields_get of every field the emulator has',
    run: async (c) => {
      const out: Record<string, unknown> = {};
      for (const model of modelsFor(c.target.series)) {
        out[model.name] = await c.kw('admin', model.name, 'fields_get', [Object.keys(model.fields)], {
          attributes: ['string', 'type', 'required', 'readonly', 'relation', 'selection'],
        });
      }
      return out;
    },
  },
];
