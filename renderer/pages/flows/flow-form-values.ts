import { flowDefinitionSchema, type Flow, type FlowDefinition } from '../../../shared/domain/flow.js';
import { errorsFromZod, hasErrors, type FormErrors } from '../../client/field-errors.js';
import {
  ANOMALY_FORM_FIELDS,
  initialAnomalyValues,
  readAnomalyForm,
  type AnomalyFormValues,
} from './flow-anomaly-values.js';

/** What the flow form holds while it is edited: text as typed, parsed only on save. */
export interface FlowFormValues extends AnomalyFormValues {
  readonly name: string;
  readonly description: string;
  readonly sourceConnectionId: string;
  readonly sourceSelector: string;
  readonly targetConnectionId: string;
  readonly targetOperation: string;
  readonly mappingId: string;
  readonly scheduleKind: 'manual' | 'cron' | 'realtime';
  readonly cronExpression: string;
  readonly timezone: string;
  readonly batchSize: string;
  readonly orderingKey: string;
  readonly freshnessMinutes: string;
  readonly enabled: boolean;
}

/** The form's field names: the contract's paths, so the server's messages land under the right input. */
export const FLOW_FORM_FIELDS = [
  'name',
  'description',
  'sourceConnectionId',
  'sourceSelector',
  'targetConnectionId',
  'targetOperation',
  'mappingId',
  'schedule.expression',
  'schedule.timezone',
  'batchSize',
  'orderingKey',
  'freshnessObjectiveMinutes',
  ...ANOMALY_FORM_FIELDS,
] as const;

export function initialFlowValues(flow: Flow | null): FlowFormValues {
  const schedule = flow?.schedule ?? { kind: 'manual' as const };
  return {
    name: flow?.name ?? '',
    description: flow?.description ?? '',
    sourceConnectionId: flow?.sourceConnectionId ?? '',
    sourceSelector: JSON.stringify(flow?.sourceSelector ?? {}, null, 2),
    targetConnectionId: flow?.targetConnectionId ?? '',
    targetOperation: JSON.stringify(flow?.targetOperation ?? {}, null, 2),
    mappingId: flow?.mappingId ?? '',
    scheduleKind: schedule.kind,
    cronExpression: schedule.kind === 'cron' ? schedule.expression : '',
    timezone: schedule.kind === 'cron' ? (schedule.timezone ?? '') : '',
    batchSize: String(flow?.batchSize ?? 200),
    orderingKey: flow?.orderingKey ?? '',
    freshnessMinutes: flow?.freshnessObjectiveMinutes == null ? '' : String(flow.freshnessObjectiveMinutes),
    enabled: flow?.enabled ?? true,
    ...initialAnomalyValues(flow),
  };
}

function jsonObject(text: string, field: string, fields: Record<string, string>): unknown {
  try {
    const value: unknown = JSON.parse(text.trim() === '' ? '{}' : text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
    fields[field] = 'Must be a JSON object, like {"model": "res.partner"}';
  } catch {
    fields[field] = 'Not valid JSON';
  }
  return undefined;
}

function wholeNumber(text: string, field: string, fields: Record<string, string>): number | undefined {
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim());
  fields[field] = 'Enter a whole number';
  return undefined;
}

export type FlowFormResult =
  | { readonly ok: true; readonly definition: FlowDefinition }
  | { readonly ok: false; readonly errors: FormErrors };

/** Turns the form into a flow definition, checked with the contract's own schema before sending. */
export function readFlowForm(values: FlowFormValues): FlowFormResult {
  const fields: Record<string, string> = {};
  const sourceSelector = jsonObject(values.sourceSelector, 'sourceSelector', fields);
  const targetOperation = jsonObject(values.targetOperation, 'targetOperation', fields);
  const batchSize = wholeNumber(values.batchSize, 'batchSize', fields);
  const freshness =
    values.freshnessMinutes.trim() === ''
      ? null
      : wholeNumber(values.freshnessMinutes, 'freshnessObjectiveMinutes', fields);
  if (values.sourceConnectionId === '') fields.sourceConnectionId = 'Choose the source connection';
  if (values.targetConnectionId === '') fields.targetConnectionId = 'Choose the target connection';
  if (values.mappingId === '') fields.mappingId = 'Choose a mapping';
  const anomaly = readAnomalyForm(values, fields);
  const timezone = values.timezone.trim();
  const schedule =
    values.scheduleKind === 'cron'
      ? { kind: 'cron', expression: values.cronExpression, ...(timezone === '' ? {} : { timezone }) }
      : { kind: values.scheduleKind };
  const parsed = flowDefinitionSchema.safeParse({
    name: values.name,
    description: values.description,
    sourceConnectionId: values.sourceConnectionId,
    sourceSelector: sourceSelector ?? {},
    targetConnectionId: values.targetConnectionId,
    targetOperation: targetOperation ?? {},
    mappingId: values.mappingId,
    schedule,
    batchSize: batchSize ?? 1,
    orderingKey: values.orderingKey,
    freshnessObjectiveMinutes: freshness ?? null,
    enabled: values.enabled,
    ...(anomaly === undefined ? {} : { anomaly }),
  });
  const errors = parsed.success ? { fields: {}, form: null } : errorsFromZod(parsed.error);
  // Our own messages for unparsable text win over the schema's about the placeholder put in its stead.
  const merged: FormErrors = { fields: { ...errors.fields, ...fields }, form: errors.form };
  if (parsed.success && !hasErrors(merged)) return { ok: true, definition: parsed.data };
  return { ok: false, errors: merged };
}

/**
 * An update keeps what this form does not edit: the flow's own retry policy and its manual fallback
 * settings (issue 11). Without this, saving a schedule change would silently drop them. The anomaly
 * watch is edited in the form (its fields start from the flow's), so turning it off removes it.
 */
export function keepUnedited(definition: FlowDefinition, flow: Flow | null): FlowDefinition {
  if (flow === null) return definition;
  return {
    ...definition,
    ...(flow.autoRetry === undefined ? {} : { autoRetry: flow.autoRetry }),
    ...(flow.fallback === undefined ? {} : { fallback: flow.fallback }),
    // Reconciliation settings (issue 12) are not edited in this form either: kept as they are.
    ...(flow.reconcile === undefined ? {} : { reconcile: flow.reconcile }),
  };
}
