import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { clearSecretInputs, readField } from '../../components/form-data.js';
import { PasswordInput } from '../../components/PasswordInput.js';
import { TextInput } from '../../components/TextInput.js';

/** `notice` says why the console is here when it was not asked for (expired, password reset, …). */
export function SignInPage({ notice }: { readonly notice: string | null }) {
  const ops = useOps();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const username = readField(form, 'username').trim();
    const password = readField(form, 'password');
    clearSecretInputs(form);
    if (username === '' || password === '') {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await ops['session.login']({ username, password });
    setBusy(false);
    // On success the session store moves the console on to the app.
    if (!result.ok) setError(result.error.message);
  }

  return (
    <main className="gate">
      <div className="gate-card">
        <h1 className="gate-title">Odoo Sync Console</h1>
        <p className="gate-lead">Sign in with your operator account.</p>
        {notice !== null && <Alert tone="info">{notice}</Alert>}
        <form noValidate className="form" onSubmit={(event) => void submit(event)}>
          <TextInput label="Username" name="username" autoComplete="username" isRequired autoFocus />
          <PasswordInput label="Password" name="password" autoComplete="current-password" />
          {error !== null && <Alert tone="error">{error}</Alert>}
          <Button type="submit" className="button button-primary" isPending={busy}>
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
