import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import type { FallbackEntry, FallbackForm as FallbackFormShape } from '../../../shared/domain/fallback.js';
import { useOps } from '../../app/client-context.js';
import { errorsFromMessage } from '../../client/field-errors.js';
import { Alert } from '../../components/Alert.js';
import { NativeField } from '../../components/NativeField.js';
import { TextAreaInput } from '../../components/TextAreaInput.js';
import { FALLBACK_STATE_LABELS } from '../../components/outage-text.js';
import { fallbackValues, inputTypeOf } from './fallback-values.js';
import { reasonProblem } from './reason-check.js';

interface FallbackFormProps {
  readonly form: FallbackFormShape;
  /** The entry the server took: the list above it is read again. */
  readonly onEntered: (entry: FallbackEntry) => void;
}

/** Which fields identify the same event when the source delivers it late (the flow's match keys). */
function matchText(form: FallbackFormShape): string {
  if (form.matchKeys.length === 0) return 'This flow names no match keys for late source events.';
  const labels = form.matchKeys.map((key) => form.fields.find((field) => field.name === key)?.label ?? key);
  return `When the source delivers the same event later, it is matched on ${labels.join(' + ')} and not posted twice.`;
}

/** A manual fallback transaction: the flow's source fields, a reason, and one submit. */
export function FallbackForm({ form, onEntered }: FallbackFormProps) {
  const ops = useOps();
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    setFormError(null);
    const checked = fallbackValues(form.fields, raw);
    const reasonError = reasonProblem(reason);
    const local = { ...checked.errors, ...(reasonError === null ? {} : { reason: reasonError }) };
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const result = await ops['fallback.enter']({
      flowId: form.flowId,
      values: checked.values,
      reason: reason.trim(),
    });
    setBusy(false);
    if (!result.ok) {
      // The server names fields as "values.quantity: …": each message goes under its own field.
      const server = errorsFromMessage(result.error.message);
      const fields: Record<string, string> = {};
      for (const [path, message] of Object.entries(server.fields))
        fields[path.replace(/^values\./, '')] = message;
      setErrors(fields);
      setFormError(server.form ?? (Object.keys(fields).length === 0 ? result.error.message : null));
      return;
    }
    setRaw({});
    setReason('');
    setErrors({});
    setNotice(
      `Entered under ${result.value.provisionalKey}: ${FALLBACK_STATE_LABELS[result.value.state].toLowerCase()}.`,
    );
    onEntered(result.value);
  }

  return (
    <form
      noValidate
      className="form fallback-form"
      aria-label={`Manual transaction for ${form.flowName}`}
      onSubmit={(event) => void submit(event)}
    >
      <p className="dialog-text">
        Stands in for a {form.sourceType} record.{' '}
        {form.targetUp
          ? 'The target takes writes now: the entry is sent at once.'
          : 'The target is down or degraded: the entry waits in the outbox and is sent in order.'}{' '}
        {matchText(form)}
      </p>
      <div className="settings-grid">
        {form.fields.map((field) => (
          <NativeField
            key={field.name}
            label={field.required ? `${field.label} (required)` : field.label}
            description={field.help}
            error={errors[field.name]}
          >
            {(control) => (
              <input
                {...control}
                className="field-input"
                name={field.name}
                type={inputTypeOf(field)}
                inputMode={field.type === 'number' ? 'decimal' : undefined}
                required={field.required}
                value={raw[field.name] ?? ''}
                onChange={(event) => setRaw({ ...raw, [field.name]: event.target.value })}
              />
            )}
          </NativeField>
        ))}
      </div>
      <TextAreaInput
        label="Why entered by hand"
        name="reason"
        value={reason}
        onChange={setReason}
        rows={2}
        description="Recorded with your name in the audit log."
        error={errors['reason']}
      />
      {formError !== null && <Alert tone="error">{formError}</Alert>}
      {notice !== null && <Alert tone="success">{notice}</Alert>}
      <div className="form-actions">
        <Button type="submit" className="button button-primary" isPending={busy}>
          Enter transaction
        </Button>
      </div>
    </form>
  );
}
