import { describe, expect, it } from 'vitest';
import type { FlowUsage } from '../../../main/connectors/flow-usage.js';
import { objectKeys } from '../../../main/connectors/odoo/mapping-columns.js';
import { planRights, type FieldFacts } from '../../../main/connectors/odoo/required-rights.js';
import { ConnectorError } from '../../../main/connectors/types.js';
import { mappingSpecSchema, type MappingSpecInput } from '../../../shared/domain/mapping.js';

/** Which (model, right) pairs a set of flows needs, from their operations and mappings. */

// What fields_get answers for the models below (type and relation only), as Odoo 17 does.
const FIELDS: Readonly<Record<string, Readonly<Record<string, FieldFacts>>>> = {
  'account.move': {
    move_type: { type: 'selection', relation: null },
    partner_id: { type: 'many2one', relation: 'res.partner' },
    invoice_line_ids: { type: 'one2many', relation: 'account.move.line' },
  },
  'account.move.line': {
    name: { type: 'char', relation: null },
    product_id: { type: 'many2one', relation: 'product.product' },
  },
  'res.partner': { name: { type: 'char', relation: null } },
};

function fieldsOf(model: string): Promise<ReadonlyMap<string, FieldFacts>> {
  const fields = FIELDS[model];
  if (fields === undefined) {
    return Promise.reject(new ConnectorError('permanent', 'odoo.unknown-model', `no ${model}`));
  }
  return Promise.resolve(new Map(Object.entries(fields)));
}

const invoiceSpec: MappingSpecInput = {
  key: 'id',
  fields: [
    { target: 'move_type', expression: '"out_invoice"' },
    {
      target: 'invoice_line_ids',
      expression: 'lines.{"name": text, "product_id/id": product, "nope": 1}',
    },
  ],
  references: [{ field: 'partner_id', expression: 'patient' }],
};

const target = (flowName: string, settings: Record<string, unknown>, spec: MappingSpecInput | null) =>
  ({
    flowName,
    role: 'target',
    settings,
    mapping: spec === null ? null : mappingSpecSchema.parse(spec),
  }) satisfies FlowUsage;

const pairs = (plan: Awaited<ReturnType<typeof planRights>>) =>
  plan.rights.map((need) => `${need.right} ${need.model}`);

describe('planRights', () => {
  it('an upsert with lines and references: the model, the line model and the referenced models', async () => {
    const plan = await planRights([target('Invoices', { model: 'account.move' }, invoiceSpec)], fieldsOf);
    expect(pairs(plan)).toEqual([
      'read account.move',
      'create account.move',
      'write account.move',
      'read account.move.line',
      'create account.move.line',
      'write account.move.line',
      'read product.product',
      'read res.partner',
    ]);
    expect(plan.rights.find((need) => need.model === 'product.product')?.reasons).toEqual([
      "flow 'Invoices' (reference invoice_line_ids/product_id)",
    ]);
    expect(plan.missingFields).toEqual([
      { model: 'account.move.line', field: 'nope', reasons: ["flow 'Invoices' (lines in invoice_line_ids)"] },
    ]);
  });

  it('a create needs no write; a server action writes but sends no mapped columns', async () => {
    const plan = await planRights(
      [
        target('Create', { model: 'account.move', kind: 'create' }, invoiceSpec),
        target('Post', { model: 'res.partner', kind: 'action_archive' }, invoiceSpec),
      ],
      fieldsOf,
    );
    expect(pairs(plan)).toEqual([
      'create account.move',
      'read account.move.line',
      'create account.move.line',
      'read product.product',
      'read res.partner',
      'write res.partner',
    ]);
    expect(
      plan.rights.find((need) => need.model === 'res.partner' && need.right === 'write')?.reasons,
    ).toEqual(["flow 'Post' (runs action_archive)"]);
  });

  it('a source reads its model; a model Odoo lacks is reported once with every flow that needs it', async () => {
    const plan = await planRights(
      [
        { flowName: 'Approvals', role: 'source', settings: { model: 'purchase.order' }, mapping: null },
        target(
          'Work orders',
          { model: 'mrp.production' },
          { key: 'id', fields: [{ target: 'name', expression: 'n' }] },
        ),
      ],
      fieldsOf,
      ['res.partner'],
    );
    expect(pairs(plan)).toEqual([
      'read purchase.order',
      'read res.partner',
      'create res.partner',
      'write res.partner',
    ]);
    expect(plan.missingModels).toEqual([{ model: 'mrp.production', reasons: ["flow 'Work orders'"] }]);
    expect(plan.flows).toBe(2);
  });

  it('never asks for ir.model.data', async () => {
    const plan = await planRights([target('Invoices', { model: 'account.move' }, invoiceSpec)], fieldsOf);
    expect(plan.rights.some((need) => need.model === 'ir.model.data')).toBe(false);
  });
});

describe('objectKeys', () => {
  it('reads the keys of the line objects an expression builds, not of objects nested in a line', () => {
    expect(objectKeys('[{"name": a, "product_id/id": $valueMap("p", b), "data": {"inner": 1}}]')).toEqual([
      'name',
      'product_id/id',
      'data',
    ]);
    expect(objectKeys('$map(lines, function($l) { {"quantity": $l.q} })')).toEqual(['quantity']);
    expect(objectKeys('name')).toEqual([]);
    expect(objectKeys('(((')).toEqual([]);
  });
});
