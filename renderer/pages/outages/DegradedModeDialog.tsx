import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import type { ConnectionOutageView } from '../../../shared/domain/outage.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { TextAreaInput } from '../../components/TextAreaInput.js';
import { outagesStore } from '../../stores/outages-store.js';
import { reasonProblem } from './reason-check.js';

interface DegradedModeDialogProps {
  readonly connection: ConnectionOutageView;
  /** 'on' switches degraded mode on (a reason is required), 'off' switches it off (a note is optional). */
  readonly switchTo: 'on' | 'off';
  readonly onClose: () => void;
}

/** Switching degraded mode on or off: said why, recorded in the audit log with the operator. */
export function DegradedModeDialog({ connection, switchTo, onClose }: DegradedModeDialogProps) {
  const ops = useOps();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const on = switchTo === 'on';
  const action = on ? 'Switch to degraded mode' : 'Switch degraded mode off';

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = on ? reasonProblem(text) : null;
    setFieldError(problem);
    if (problem !== null) return;
    setBusy(true);
    const store = outagesStore.getState();
    const refused = on
      ? await store.degrade(ops, connection.connectionId, text.trim())
      : await store.restore(ops, connection.connectionId, text);
    setBusy(false);
    if (refused === null) onClose();
    else setFormError(refused);
  }

  const affected = connection.flows.map((flow) => flow.name).join(', ');
  return (
    <FormDialog
      title={on ? `Degraded mode for ${connection.name}` : `End degraded mode for ${connection.name}`}
      isOpen
      onClose={onClose}
    >
      <form noValidate className="form" onSubmit={(event) => void submit(event)}>
        <p className="dialog-text">
          {on
            ? `Writes to ${connection.name} wait in the outbox instead of being sent; flows reading from it wait. Nothing is lost.`
            : `The outbox is sent to ${connection.name} in order, and flows waiting for it run again.`}
        </p>
        {affected !== '' && <p className="dialog-text">Flows affected: {affected}</p>}
        <TextAreaInput
          label={on ? 'Reason for switching' : 'Note (optional)'}
          name={on ? 'reason' : 'note'}
          value={text}
          onChange={setText}
          rows={3}
          error={fieldError ?? undefined}
          {...(on ? { description: 'Recorded in the audit log and shown in the banner.' } : {})}
        />
        {formError !== null && <Alert tone="error">{formError}</Alert>}
        <div className="form-actions">
          <Button
            type="submit"
            className={on ? 'button button-danger' : 'button button-primary'}
            isPending={busy}
          >
            {action}
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
