import type { ModelDef } from '../model-types.js';
import { OdooServerError, userError, validationError } from '../odoo-error.js';

/** res.partner, res.country, res.users (+ API keys), uom.uom and ir.model.data. */

export const partnerModel: ModelDef = {
  name: 'res.partner',
  description: 'Contact',
  order: 'complete_name ASC, id DESC',
  fields: {
    name: { type: 'char', string: 'Name' },
    email: { type: 'char', string: 'Email' },
    phone: { type: 'char', string: 'Phone' },
    ref: { type: 'char', string: 'Reference' },
    comment: { type: 'html', string: 'Notes' },
    is_company: { type: 'boolean', string: 'Is a Company', default: false },
    active: { type: 'boolean', string: 'Active', default: true },
    type: {
      type: 'selection',
      string: 'Address Type',
      default: 'contact',
      selection: [
        ['contact', 'Contact'],
        ['invoice', 'Invoice Address'],
        ['delivery', 'Delivery Address'],
        ['other', 'Other Address'],
      ],
    },
    parent_id: { type: 'many2one', string: 'Related Company', relation: 'res.partner' },
    child_ids: { type: 'one2many', string: 'Contact', relation: 'res.partner', inverse: 'parent_id' },
    country_id: { type: 'many2one', string: 'Country', relation: 'res.country' },
    partner_latitude: { type: 'float', string: 'Geo Latitude' },
    customer_rank: { type: 'integer', string: 'Customer Rank' },
    supplier_rank: { type: 'integer', string: 'Supplier Rank' },
    complete_name: {
      type: 'char',
      string: 'Complete Name',
      compute: (record, db) => {
        const parent =
          typeof record.parent_id === 'number' ? db.record('res.partner', record.parent_id) : undefined;
        const name = typeof record.name === 'string' ? record.name : '';
        return parent === undefined ? name : `${String(parent.name)}, ${name}`;
      },
    },
  },
  check: (record, db) => {
    if (
      record.type === 'contact' &&
      (record.name === false || record.name === undefined || record.name === '')
    ) {
      // A SQL CHECK constraint in Odoo: 17.0's `load` reports it quoted, as psycopg renders it.
      throw new OdooServerError(
        'odoo.exceptions.ValidationError',
        'Contacts require a name',
        undefined,
        db.series === '17.0' ? "'Contacts require a name'" : 'Contacts require a name',
      );
    }
    // Walk up the parent chain: a partner may not be its own ancestor.
    const seen = new Set<number>([record.id]);
    let parent = record.parent_id;
    while (typeof parent === 'number') {
      if (seen.has(parent)) throw validationError('You cannot create recursive Partner hierarchies.');
      seen.add(parent);
      parent = db.record('res.partner', parent)?.parent_id;
    }
  },
};

export const countryModel: ModelDef = {
  name: 'res.country',
  description: 'Country',
  fields: {
    name: { type: 'char', string: 'Country Name', required: true },
    code: { type: 'char', string: 'Country Code', required: true },
  },
  order: 'name',
};

export const usersModel: ModelDef = {
  name: 'res.users',
  description: 'User',
  fields: {
    // The name is the partner's in Odoo (a related field); the emulator keeps a copy.
    name: { type: 'char', string: 'Name' },
    login: { type: 'char', string: 'Login', required: true },
    partner_id: {
      type: 'many2one',
      string: 'Related Partner',
      relation: 'res.partner',
      required: true,
      // Odoo creates the user's partner when none is given.
      fill: (record, db) => db.create('res.partner', { name: record.name }, 1),
    },
  },
  order: 'name, login',
  beforeUnlink: (ids) => {
    if (ids.includes(2)) {
      throw userError(
        'You cannot delete the admin user because it is utilized in various places (such as security configurations,...). Instead, archive it.',
      );
    }
  },
};

export const apiKeysModel: ModelDef = {
  name: 'res.users.apikeys',
  description: 'Users API Keys',
  fields: {
    name: { type: 'char', string: 'Description', required: true, readonly: true },
    user_id: { type: 'many2one', string: 'User', relation: 'res.users', required: true, readonly: true },
    scope: { type: 'char', string: 'Scope', readonly: true },
  },
};

/** Odoo 19 added key expiry (17.0 answers "Invalid field 'expiration_date'"). */
export const apiKeysModel19: ModelDef = {
  ...apiKeysModel,
  fields: {
    ...apiKeysModel.fields,
    expiration_date: { type: 'datetime', string: 'Expiration Date', readonly: true },
  },
};

export const uomModel: ModelDef = {
  name: 'uom.uom',
  description: 'Product Unit of Measure',
  fields: { name: { type: 'char', string: 'Unit of Measure', required: true } },
};

export const modelDataModel: ModelDef = {
  name: 'ir.model.data',
  description: 'Model Data',
  fields: {
    module: { type: 'char', string: 'Module', required: true },
    name: { type: 'char', string: 'External Identifier', required: true },
    model: { type: 'char', string: 'Model Name', required: true },
    res_id: { type: 'many2one_reference', string: 'Record ID' },
    noupdate: { type: 'boolean', string: 'Non Updatable', default: false },
    complete_name: {
      type: 'char',
      string: 'Complete ID',
      compute: (record) => `${String(record.module)}.${String(record.name)}`,
    },
  },
  order: 'module, model, name',
  // (module, name) is unique and res_id is how a record finds its external id: both are looked up per row.
  indexed: ['name', 'res_id'],
  check: (record, db) => {
    const twins = db
      .idsWithValue('ir.model.data', 'name', record.name)
      .filter((id) => db.record('ir.model.data', id)?.module === record.module);
    if (twins.length > 1) {
      throw validationError(
        `The operation cannot be completed: duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"\nDETAIL:  Key (module, name)=(${String(record.module)}, ${String(record.name)}) already exists.\n`,
      );
    }
  },
};
