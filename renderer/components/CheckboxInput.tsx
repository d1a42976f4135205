import { useId, type ReactNode } from 'react';

interface CheckboxInputProps {
  readonly label: string;
  readonly name: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly error?: string | undefined;
  /** Shown under the box while it is checked (e.g. the plain-HTTP warning). */
  readonly whenChecked?: ReactNode;
}

/** A native checkbox with its label; a visible box the browser draws, so focus and state are obvious. */
export function CheckboxInput(props: CheckboxInputProps) {
  const id = useId();
  return (
    <div className="field field-checkbox">
      <div className="checkbox-row">
        <input
          id={id}
          type="checkbox"
          name={props.name}
          checked={props.checked}
          aria-invalid={props.error !== undefined}
          onChange={(event) => props.onChange(event.target.checked)}
        />
        <label htmlFor={id}>{props.label}</label>
      </div>
      {props.checked && props.whenChecked}
      {props.error !== undefined && <p className="field-error">{props.error}</p>}
    </div>
  );
}
