import { NativeField } from './NativeField.js';

interface PasswordInputProps {
  readonly label: string;
  readonly name: string;
  readonly autoComplete: 'current-password' | 'new-password';
  readonly description?: string;
  readonly error?: string | undefined;
  readonly autoFocus?: boolean;
}

/**
 * A password or secret input that React never controls: its value exists only in the DOM input until
 * the form reads it once on submit and empties it (clearSecretInputs). A react-aria TextField would
 * keep a copy in component state, which would outlive the call.
 */
export function PasswordInput(props: PasswordInputProps) {
  return (
    <NativeField label={props.label} description={props.description} error={props.error}>
      {(control) => (
        <input
          {...control}
          className="field-input"
          type="password"
          name={props.name}
          autoComplete={props.autoComplete}
          autoFocus={props.autoFocus ?? false}
          required
          spellCheck={false}
        />
      )}
    </NativeField>
  );
}
