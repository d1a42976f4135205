import { CheckboxInput } from '../../components/CheckboxInput.js';
import { TextInput } from '../../components/TextInput.js';
import type { AnomalyFormValues } from './flow-anomaly-values.js';

interface AnomalyFieldsProps {
  readonly values: AnomalyFormValues;
  readonly onChange: (patch: Partial<AnomalyFormValues>) => void;
  readonly errors: Readonly<Record<string, string>>;
}

/**
 * The flow's anomaly watch (issue 12): with it on, each run's writes are judged as one batch against
 * the flow's own history and an unusual batch waits for finance to release or reject it.
 */
export function AnomalyFields({ values, onChange, errors }: AnomalyFieldsProps) {
  return (
    <fieldset className="form-section">
      <legend>Anomaly watch</legend>
      <CheckboxInput
        label="Hold unusual batches for review before posting"
        name="anomalyWatch"
        checked={values.anomalyWatch}
        onChange={(v) => onChange({ anomalyWatch: v })}
      />
      {values.anomalyWatch && (
        <div className="settings-grid">
          <TextInput
            label="Amount field"
            name="anomalyAmountField"
            value={values.anomalyAmountField}
            onChange={(v) => onChange({ anomalyAmountField: v })}
            error={errors['anomaly.amountField']}
            description="A field of the mapped record summed per batch, e.g. price_unit; empty: volume only"
          />
          <TextInput
            label="Minimum history (batches)"
            name="anomalyMinHistory"
            inputMode="numeric"
            value={values.anomalyMinHistory}
            onChange={(v) => onChange({ anomalyMinHistory: v })}
            error={errors['anomaly.minHistory']}
            description="Comparable past batches needed before judging, 3–100"
          />
          <TextInput
            label="Threshold (modified z-score)"
            name="anomalyThreshold"
            inputMode="decimal"
            value={values.anomalyThreshold}
            onChange={(v) => onChange({ anomalyThreshold: v })}
            error={errors['anomaly.threshold']}
            description="Hold above this score, 1–50; 3.5 is the usual choice"
          />
        </div>
      )}
    </fieldset>
  );
}
