import type { Flow } from '../../../shared/domain/flow.js';

/** The flow form's anomaly watch (issue 12) as typed: parsed with the rest of the form on save. */
export interface AnomalyFormValues {
  readonly anomalyWatch: boolean;
  readonly anomalyAmountField: string;
  readonly anomalyMinHistory: string;
  readonly anomalyThreshold: string;
}

/** The contract's paths of the watch's fields, so the server's messages land under the right input. */
export const ANOMALY_FORM_FIELDS = [
  'anomaly.amountField',
  'anomaly.minHistory',
  'anomaly.threshold',
] as const;

/** A new watch starts at the contract's defaults (Iglewicz & Hoaglin's 3.5, eight comparable batches). */
export function initialAnomalyValues(flow: Flow | null): AnomalyFormValues {
  const anomaly = flow?.anomaly;
  return {
    anomalyWatch: anomaly !== undefined,
    anomalyAmountField: anomaly?.amountField ?? '',
    anomalyMinHistory: String(anomaly?.minHistory ?? 8),
    anomalyThreshold: String(anomaly?.threshold ?? 3.5),
  };
}

/**
 * The watch's input for the flow schema, or nothing when the watch is off. Text that is no number at
 * all gets our own message here; a number out of range gets the schema's, under the same field.
 */
export function readAnomalyForm(
  values: AnomalyFormValues,
  fields: Record<string, string>,
): { amountField?: string; minHistory: number; threshold: number } | undefined {
  if (!values.anomalyWatch) return undefined;
  const minText = values.anomalyMinHistory.trim();
  const thresholdText = values.anomalyThreshold.trim();
  const minHistory = /^\d{1,4}$/.test(minText) ? Number(minText) : Number.NaN;
  const threshold = /^\d{1,3}(\.\d{1,3})?$/.test(thresholdText) ? Number(thresholdText) : Number.NaN;
  if (Number.isNaN(minHistory)) fields['anomaly.minHistory'] = 'Enter a whole number of batches, 3–100';
  if (Number.isNaN(threshold)) fields['anomaly.threshold'] = 'Enter a number such as 3.5 (1–50)';
  const amountField = values.anomalyAmountField.trim();
  return {
    ...(amountField === '' ? {} : { amountField }),
    // A placeholder the schema accepts where our own message already stands (ours wins on merge).
    minHistory: Number.isNaN(minHistory) ? 8 : minHistory,
    threshold: Number.isNaN(threshold) ? 3.5 : threshold,
  };
}
