import { NativeField } from './NativeField.js';

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
  return (
    <NativeField label={props.label} description={props.description} error={props.error}>
      {(control) => (
        <textarea
          {...control}
          className="field-input field-code"
          name={props.name}
          value={props.value}
          rows={props.rows ?? 4}
          spellCheck={false}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </NativeField>
  );
}
