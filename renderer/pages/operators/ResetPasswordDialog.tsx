import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { operations } from '../../../shared/contract/operations.js';
import type { Operator } from '../../../shared/domain/operator.js';
import { useOps } from '../../app/client-context.js';
import { errorsFromZod } from '../../client/field-errors.js';
import { Alert } from '../../components/Alert.js';
import { clearSecretInputs, readField } from '../../components/form-data.js';
import { FormDialog } from '../../components/FormDialog.js';
import { PasswordInput } from '../../components/PasswordInput.js';
import { operatorsStore } from '../../stores/operators-store.js';

interface ResetPasswordDialogProps {
  readonly operator: Operator;
  readonly onClose: () => void;
}

/** Sets a new password for an operator; the server ends that operator's open sessions. */
export function ResetPasswordDialog({ operator, onClose }: ResetPasswordDialogProps) {
  const ops = useOps();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = operations['operators.resetPassword'].input.safeParse({
      username: operator.username,
      password: readField(form, 'password'),
    });
    clearSecretInputs(form);
    if (!parsed.success) {
      setError(
        errorsFromZod(parsed.error).fields.password ??
          parsed.error.issues[0]?.message ??
          'Check the password.',
      );
      return;
    }
    setBusy(true);
    setError(null);
    const result = await ops['operators.resetPassword'](parsed.data);
    setBusy(false);
    if (result.ok) {
      operatorsStore.getState().upsert(result.value);
      setDone(true);
    } else setError(result.error.message);
  }

  return (
    <FormDialog title={`Reset password for ${operator.username}`} isOpen onClose={onClose}>
      <form noValidate className="form" onSubmit={(event) => void submit(event)}>
        <PasswordInput
          label="New password"
          name="password"
          autoComplete="new-password"
          description="At least 12 characters."
          autoFocus
        />
        {error !== null && <Alert tone="error">{error}</Alert>}
        {done && <Alert tone="success">Password reset. The operator's open sessions were ended.</Alert>}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Reset password
          </Button>
          <Button className="button" onPress={onClose}>
            {done ? 'Done' : 'Cancel'}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
