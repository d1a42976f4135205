import { FieldError, Input, Label, Text, TextField } from 'react-aria-components';

interface TextInputProps {
  readonly label: string;
  readonly name: string;
  /** Passwords and secrets use PasswordInput instead (react-aria keeps a copy of the value in state). */
  readonly type?: 'text' | 'url';
  readonly value?: string;
  readonly defaultValue?: string;
  readonly onChange?: (value: string) => void;
  readonly error?: string | undefined;
  readonly description?: string;
  readonly autoComplete?: string;
  readonly inputMode?: 'text' | 'numeric' | 'decimal' | 'url';
  readonly isRequired?: boolean;
  readonly autoFocus?: boolean;
  /** What an empty optional field stands for (e.g. the default it falls back to). */
  readonly placeholder?: string | undefined;
}

/** A labelled text input with its error right under it (react-aria wires label, description and error). */
export function TextInput(props: TextInputProps) {
  return (
    <TextField
      className="field"
      name={props.name}
      type={props.type ?? 'text'}
      {...(props.value === undefined ? {} : { value: props.value })}
      {...(props.defaultValue === undefined ? {} : { defaultValue: props.defaultValue })}
      {...(props.onChange === undefined ? {} : { onChange: props.onChange })}
      isInvalid={props.error !== undefined}
      isRequired={props.isRequired ?? false}
      // Our own messages (from the contract's schemas) replace the browser's validation bubbles.
      validationBehavior="aria"
      autoComplete={props.autoComplete ?? 'off'}
      autoFocus={props.autoFocus ?? false}
      spellCheck="false"
    >
      <Label className="field-label">{props.label}</Label>
      <Input
        className="field-input"
        inputMode={props.inputMode ?? 'text'}
        {...(props.placeholder === undefined ? {} : { placeholder: props.placeholder })}
      />
      {props.description !== undefined && (
        <Text slot="description" className="field-description">
          {props.description}
        </Text>
      )}
      <FieldError className="field-error">{props.error}</FieldError>
    </TextField>
  );
}
