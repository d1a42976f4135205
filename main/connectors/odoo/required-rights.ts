import type { FlowUsage } from '../flow-usage.js';
import { ConnectorError } from '../types.js';
import { mappingColumns } from './mapping-columns.js';

/**
 * Which rights the flows of one Odoo connection need, model by model, derived from the flows
 * themselves (so "Test connection" checks exactly what the next run will do):
 * - a source flow reads its model;
 * - an upsert reads, creates and writes its model (it reads the records it is about to update);
 *   `create` creates; a server action (`action_post`) reads and writes;
 * - a one2many column (invoice lines) is written by Odoo on the line model: read, create, and for
 *   an upsert write, on that model;
 * - a reference by external ID (`partner_id/id`, also inside lines) reads the referenced model.
 * ir.model.data is never on the list: `load` resolves external IDs itself.
 * The relations come from `fields_get`, so a mapped field Odoo does not have is found here too.
 */

export type OdooRight = 'read' | 'create' | 'write';
const RIGHT_ORDER: readonly OdooRight[] = ['read', 'create', 'write'];

export interface RightNeed {
  readonly model: string;
  readonly right: OdooRight;
  /** Why, e.g. "flow 'Service charges → Odoo customer invoices' (lines in invoice_line_ids)". */
  readonly reasons: readonly string[];
}

export interface MissingModel {
  readonly model: string;
  readonly reasons: readonly string[];
}

export interface MissingField {
  readonly model: string;
  readonly field: string;
  readonly reasons: readonly string[];
}

export interface RightsPlan {
  readonly rights: readonly RightNeed[];
  readonly missingModels: readonly MissingModel[];
  readonly missingFields: readonly MissingField[];
  readonly flows: number;
}

export interface FieldFacts {
  readonly type: string;
  readonly relation: string | null;
}

/** `fields_get` of a model; throws a ConnectorError `odoo.unknown-model` for a model Odoo lacks. */
export type FieldsOf = (model: string) => Promise<ReadonlyMap<string, FieldFacts>>;

const LINE_TYPES = new Set(['one2many']);

class Plan {
  private readonly needs = new Map<string, Map<OdooRight, string[]>>();
  private readonly absentModels = new Map<string, string[]>();
  private readonly absentFields = new Map<string, MissingField & { reasons: string[] }>();
  private readonly fieldCache = new Map<string, Promise<ReadonlyMap<string, FieldFacts> | null>>();

  constructor(private readonly fieldsOf: FieldsOf) {}

  need(model: string, rights: readonly OdooRight[], reason: string): void {
    const byRight = this.needs.get(model) ?? new Map<OdooRight, string[]>();
    this.needs.set(model, byRight);
    for (const right of rights) {
      const reasons = byRight.get(right) ?? [];
      if (!reasons.includes(reason)) reasons.push(reason);
      byRight.set(right, reasons);
    }
  }

  /** The model's fields, or null (and the model noted as missing) when Odoo does not have it. */
  fields(model: string, reason: string): Promise<ReadonlyMap<string, FieldFacts> | null> {
    let cached = this.fieldCache.get(model);
    if (cached === undefined) {
      cached = this.fieldsOf(model).catch((error: unknown) => {
        if (error instanceof ConnectorError && error.code === 'odoo.unknown-model') return null;
        throw error;
      });
      this.fieldCache.set(model, cached);
    }
    return cached.then((fields) => {
      if (fields === null) {
        const reasons = this.absentModels.get(model) ?? [];
        if (!reasons.includes(reason)) reasons.push(reason);
        this.absentModels.set(model, reasons);
      }
      return fields;
    });
  }

  missingField(model: string, field: string, reason: string): void {
    const key = `${model}\u0000${field}`;
    const entry = this.absentFields.get(key) ?? { model, field, reasons: [] };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    this.absentFields.set(key, entry);
  }

  result(flows: number): RightsPlan {
    const rights: RightNeed[] = [];
    for (const [model, byRight] of this.needs) {
      if (this.absentModels.has(model)) continue;
      for (const right of RIGHT_ORDER) {
        const reasons = byRight.get(right);
        if (reasons !== undefined) rights.push({ model, right, reasons });
      }
    }
    return {
      rights,
      missingModels: [...this.absentModels].map(([model, reasons]) => ({ model, reasons })),
      missingFields: [...this.absentFields.values()],
      flows,
    };
  }
}

const flowLabel = (usage: FlowUsage): string => `flow '${usage.flowName}'`;
const stringSetting = (settings: Readonly<Record<string, unknown>>, name: string): string | null => {
  const value = settings[name];
  return typeof value === 'string' && value !== '' ? value : null;
};

function operationRights(kind: string): { rights: OdooRight[]; what: string } | null {
  if (kind === 'upsert') return { rights: ['read', 'create', 'write'], what: 'upsert' };
  if (kind === 'create') return { rights: ['create'], what: 'creates records' };
  if (/^action_[a-z_]+$/.test(kind)) return { rights: ['read', 'write'], what: `runs ${kind}` };
  return null;
}

async function planLines(
  plan: Plan,
  usage: FlowUsage,
  line: { model: string; field: string; keys: readonly string[]; upsert: boolean },
): Promise<void> {
  const reason = `${flowLabel(usage)} (lines in ${line.field})`;
  plan.need(line.model, line.upsert ? ['read', 'create', 'write'] : ['read', 'create'], reason);
  const lineFields = await plan.fields(line.model, reason);
  if (lineFields === null) return;
  for (const key of line.keys) {
    const byExternalId = key.endsWith('/id');
    const name = byExternalId ? key.slice(0, -'/id'.length) : key;
    if (name === 'id') continue;
    const facts = lineFields.get(name);
    if (facts === undefined) {
      plan.missingField(line.model, name, `${flowLabel(usage)} (lines in ${line.field})`);
      continue;
    }
    if (byExternalId && facts.relation !== null) {
      plan.need(facts.relation, ['read'], `${flowLabel(usage)} (reference ${line.field}/${name})`);
    }
  }
}

async function planTarget(plan: Plan, usage: FlowUsage): Promise<void> {
  const model = stringSetting(usage.settings, 'model');
  if (model === null) return;
  const kind = stringSetting(usage.settings, 'kind') ?? 'upsert';
  const operation = operationRights(kind);
  if (operation === null) return;
  plan.need(model, operation.rights, `${flowLabel(usage)} (${operation.what})`);
  // A server action sends only record ids: the mapping's columns are not written.
  if (usage.mapping === null || operation.what.startsWith('runs ')) return;
  const fields = await plan.fields(model, flowLabel(usage));
  if (fields === null) return;
  const columns = mappingColumns(usage.mapping);
  for (const column of columns.fields) {
    const facts = fields.get(column.name);
    if (facts === undefined) {
      plan.missingField(model, column.name, flowLabel(usage));
    } else if (LINE_TYPES.has(facts.type) && facts.relation !== null) {
      await planLines(plan, usage, {
        model: facts.relation,
        field: column.name,
        keys: column.lineKeys,
        upsert: kind === 'upsert',
      });
    }
  }
  for (const reference of columns.references) {
    const facts = fields.get(reference);
    if (facts === undefined) plan.missingField(model, reference, flowLabel(usage));
    else if (facts.relation !== null)
      plan.need(facts.relation, ['read'], `${flowLabel(usage)} (reference ${reference})`);
  }
}

/**
 * The rights to check for these flows (plus `extraModels`, checked for read, create and write as
 * asked). Calls `fieldsOf` once per model whose fields matter.
 */
export async function planRights(
  usages: readonly FlowUsage[],
  fieldsOf: FieldsOf,
  extraModels: readonly string[] = [],
): Promise<RightsPlan> {
  const plan = new Plan(fieldsOf);
  for (const usage of usages) {
    if (usage.role === 'source') {
      const model = stringSetting(usage.settings, 'model');
      if (model !== null) plan.need(model, ['read'], `${flowLabel(usage)} (reads ${model})`);
    } else {
      await planTarget(plan, usage);
    }
  }
  // A model asked for by name (or read by a source flow) that Odoo lacks shows in its rights check.
  for (const model of extraModels) plan.need(model, RIGHT_ORDER, 'asked for');
  return plan.result(usages.length);
}
