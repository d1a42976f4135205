import { NativeField } from './NativeField.js';

interface SelectInputProps {
  readonly label: string;
  readonly name: string;
  readonly value: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
  readonly isDisabled?: boolean;
}

/**
 * A native select: keyboard, screen readers and form automation all know it, and it needs no
 * popover positioning (which would mean inline styles).
 */
export function SelectInput(props: SelectInputProps) {
  return (
    <NativeField label={props.label} error={props.error}>
      {(control) => (
        <select
          {...control}
          className="field-input"
          name={props.name}
          value={props.value}
          disabled={props.isDisabled ?? false}
          onChange={(event) => props.onChange(event.target.value)}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </NativeField>
  );
}
