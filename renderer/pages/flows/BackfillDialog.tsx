import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import type { Flow } from '../../../shared/domain/flow.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { TextInput } from '../../components/TextInput.js';
import { runFlowCommand } from './flow-commands.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The date field's own check, before asking the server (which checks again). */
export function backfillDateProblem(value: string): string | null {
  const trimmed = value.trim();
  if (!DATE.test(trimmed)) return 'Use a date like 2026-01-31';
  if (Number.isNaN(Date.parse(trimmed))) return 'Not a real date';
  return null;
}

/** Runs a flow again from a date; records whose mapped payload did not change are skipped. */
export function BackfillDialog({ flow, onClose }: { readonly flow: Flow; readonly onClose: () => void }) {
  const ops = useOps();
  const [from, setFrom] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = backfillDateProblem(from);
    setFieldError(problem);
    if (problem !== null) return;
    setBusy(true);
    const refused = await runFlowCommand(ops, { kind: 'backfill', flow, from: from.trim() });
    setBusy(false);
    if (refused === null) onClose();
    else setFormError(refused);
  }

  return (
    <FormDialog title={`Backfill ${flow.name}`} isOpen onClose={onClose}>
      <form noValidate className="form" onSubmit={(event) => void submit(event)}>
        <p className="dialog-text">
          Reads the source again from this date. Records whose mapped payload is unchanged since their last
          successful write are skipped, so nothing is written twice.
        </p>
        <TextInput
          label="From date"
          name="from"
          value={from}
          onChange={setFrom}
          description="YYYY-MM-DD"
          error={fieldError ?? undefined}
          isRequired
          autoFocus
        />
        {formError !== null && <Alert tone="error">{formError}</Alert>}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Start backfill
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
