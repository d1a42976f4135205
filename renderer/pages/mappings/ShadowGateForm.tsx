import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { MAX_SHADOW_PERIODS, type ShadowGate } from '../../../shared/domain/shadow.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';

/**
 * The administrator's control of a mapping's promotion gate (issue 12, item 3): how many clean shadow
 * days a version needs before it may be activated; 0 = no gate. The server checks the role and audits.
 */
export function ShadowGateForm({
  gate,
  onSaved,
}: {
  readonly gate: ShadowGate;
  readonly onSaved: (gate: ShadowGate) => void;
}) {
  const ops = useOps();
  const [value, setValue] = useState(String(gate.periodsRequired));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const required = Number(value);
    if (!Number.isInteger(required) || required < 0 || required > MAX_SHADOW_PERIODS) {
      setError(`Give a whole number of days from 0 (no gate) to ${MAX_SHADOW_PERIODS}.`);
      return;
    }
    setBusy(true);
    const saved = await ops['shadow.setGate']({ mappingId: gate.mappingId, shadowPeriodsRequired: required });
    setBusy(false);
    if (!saved.ok) {
      setError(saved.error.message);
      return;
    }
    setError(null);
    onSaved(saved.value);
  }

  return (
    <form className="row-actions" aria-label="Promotion gate" noValidate onSubmit={(e) => void save(e)}>
      <label>
        Clean shadow days before activation{' '}
        <input
          type="number"
          min={0}
          max={MAX_SHADOW_PERIODS}
          value={value}
          aria-invalid={error !== null}
          onChange={(event) => setValue(event.target.value)}
        />
      </label>
      <Button type="submit" className="button button-small" isPending={busy}>
        Save gate
      </Button>
      {error !== null && <Alert tone="error">{error}</Alert>}
    </form>
  );
}
