import { useId } from 'react';

interface TextAreaInputProps {
  readonly label: string;
  readonly name: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly description?: string;
  readonly error?: string | undefined;
  readonly rows?: number;
}

/** A labelled multi-line input for JSON and expressions (monospace, no spell check). */
export function TextAreaInput(props: TextAreaInputProps) {
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
      <textarea
        id={id}
        className="field-input field-code"
        name={props.name}
        value={props.value}
        rows={props.rows ?? 4}
        spellCheck={false}
        aria-invalid={props.error !== undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        onChange={(event) => props.onChange(event.target.value)}
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
