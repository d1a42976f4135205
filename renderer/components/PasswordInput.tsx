import { useId } from 'react';

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
  const id = useId();
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  const describedBy = [
    props.description === undefined ? null : descriptionId,
    props.error === undefined ? null : errorId,
  ]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {props.label}
      </label>
      <input
        id={id}
        className="field-input"
        type="password"
        name={props.name}
        autoComplete={props.autoComplete}
        autoFocus={props.autoFocus ?? false}
        required
        spellCheck={false}
        aria-invalid={props.error !== undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
      />
      {props.description !== undefined && (
        <p id={descriptionId} className="field-description">
          {props.description}
        </p>
      )}
      {props.error !== undefined && (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}
