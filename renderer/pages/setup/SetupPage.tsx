import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { operations } from '../../../shared/contract/operations.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { clearSecretInputs, readField } from '../../components/form-data.js';
import { PasswordInput } from '../../components/PasswordInput.js';
import { TextInput } from '../../components/TextInput.js';
import {
  errorsFromMessage,
  errorsFromZod,
  NO_ERRORS,
  placeErrors,
  type FormErrors,
} from '../../client/field-errors.js';

const SHOWN_FIELDS = ['username', 'displayName', 'password', 'confirmPassword'];

/** First run: no operator exists yet, so the first administrator is created here. */
export function SetupPage() {
  const ops = useOps();
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const input = {
      username: readField(form, 'username'),
      displayName: readField(form, 'displayName'),
      password: readField(form, 'password'),
    };
    const confirm = readField(form, 'confirmPassword');
    clearSecretInputs(form);
    const parsed = operations['session.setupFirstAdmin'].input.safeParse(input);
    if (!parsed.success) {
      setErrors(placeErrors(errorsFromZod(parsed.error), SHOWN_FIELDS));
      return;
    }
    if (confirm !== input.password) {
      setErrors({ fields: { confirmPassword: 'The two passwords differ. Type them again.' }, form: null });
      return;
    }
    setBusy(true);
    const result = await ops['session.setupFirstAdmin'](parsed.data);
    setBusy(false);
    // On success the session store moves the console on to the app.
    if (!result.ok) {
      const found = result.error.code === 'invalid-input' ? errorsFromMessage(result.error.message) : null;
      setErrors(
        found === null ? { fields: {}, form: result.error.message } : placeErrors(found, SHOWN_FIELDS),
      );
    }
  }

  return (
    <main className="gate">
      <div className="gate-card">
        <h1 className="gate-title">Odoo Sync Console</h1>
        <p className="gate-lead">
          Welcome. Create the first administrator account; it can then add the other operators.
        </p>
        <form noValidate className="form" onSubmit={(event) => void submit(event)}>
          <TextInput
            label="Username"
            name="username"
            autoComplete="username"
            error={errors.fields.username}
            isRequired
            autoFocus
          />
          <TextInput
            label="Display name"
            name="displayName"
            autoComplete="name"
            error={errors.fields.displayName}
            isRequired
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="new-password"
            description="At least 12 characters. A passphrase of a few words works well."
            error={errors.fields.password}
          />
          <PasswordInput
            label="Confirm password"
            name="confirmPassword"
            autoComplete="new-password"
            error={errors.fields.confirmPassword}
          />
          {errors.form !== null && <Alert tone="error">{errors.form}</Alert>}
          <Button type="submit" className="button button-primary" isPending={busy}>
            Create administrator
          </Button>
        </form>
      </div>
    </main>
  );
}
