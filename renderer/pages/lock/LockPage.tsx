import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { clearSecretInputs, readField } from '../../components/form-data.js';
import { PasswordInput } from '../../components/PasswordInput.js';
import type { Operator } from '../../../shared/domain/operator.js';

/** The session is kept but hidden until its operator types their password again. */
interface LockPageProps {
  readonly operator: Operator | null;
  readonly notice: string | null;
}

export function LockPage({ operator, notice }: LockPageProps) {
  const ops = useOps();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function unlock(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const password = readField(form, 'password');
    clearSecretInputs(form);
    if (password === '') {
      setError('Enter your password to unlock.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await ops['session.unlock']({ password });
    setBusy(false);
    if (!result.ok) setError(result.error.message);
  }

  async function signOut() {
    const result = await ops['session.logout']({});
    if (!result.ok) setError(result.error.message);
  }

  const who = operator === null ? 'This session' : `${operator.displayName} (${operator.username})`;
  return (
    <main className="gate">
      <div className="gate-card">
        <h1 className="gate-title">Console locked</h1>
        <p className="gate-lead">
          <strong>{who}</strong> is signed in. Enter the password to continue.
        </p>
        {notice !== null && <Alert tone="info">{notice}</Alert>}
        <form noValidate className="form" onSubmit={(event) => void unlock(event)}>
          <PasswordInput label="Password" name="password" autoComplete="current-password" autoFocus />
          {error !== null && <Alert tone="error">{error}</Alert>}
          <div className="form-actions">
            <Button type="submit" className="button button-primary" isPending={busy}>
              Unlock
            </Button>
            <Button className="button" onPress={() => void signOut()}>
              Sign out
            </Button>
          </div>
        </form>
      </div>
    </main>
  );
}
