import type { ConnectionKind } from '../../../shared/domain/connection.js';
import { Alert } from '../../components/Alert.js';
import { CheckboxInput } from '../../components/CheckboxInput.js';
import { SelectInput } from '../../components/SelectInput.js';
import { TextInput } from '../../components/TextInput.js';
import { settingsFields, type SettingsField } from './settings-fields.js';
import type { SettingsValues } from './settings-form-values.js';

interface SettingsFieldsProps {
  readonly kind: ConnectionKind;
  readonly values: SettingsValues;
  readonly errors: Readonly<Record<string, string>>;
  readonly onChange: (key: string, value: string | boolean) => void;
}

const PLAIN_HTTP_WARNING =
  'Plain HTTP is allowed: the secret and every record travel unencrypted. Use it only for a test server on a trusted network.';

function FieldInput({
  field,
  value,
  error,
  onChange,
}: {
  readonly field: SettingsField;
  readonly value: string | boolean | undefined;
  readonly error: string | undefined;
  readonly onChange: (value: string | boolean) => void;
}) {
  const name = `settings.${field.key}`;
  if (field.type === 'checkbox') {
    const warning =
      field.key === 'allowInsecureHttp' ? <Alert tone="warning">{PLAIN_HTTP_WARNING}</Alert> : null;
    return (
      <CheckboxInput
        label={field.label}
        name={name}
        checked={value === true}
        onChange={onChange}
        error={error}
        whenChecked={warning}
      />
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (field.type === 'choice') {
    return (
      <SelectInput
        label={field.label}
        name={name}
        value={text}
        options={field.choices}
        onChange={onChange}
        error={error}
      />
    );
  }
  return (
    <TextInput
      label={field.label}
      name={name}
      value={text}
      onChange={onChange}
      error={error}
      isRequired={field.required}
      inputMode={field.type === 'number' ? (field.integer ? 'numeric' : 'decimal') : 'text'}
      {...(field.description === undefined ? {} : { description: field.description })}
      placeholder={field.placeholder}
    />
  );
}

/** The per-kind settings inputs, generated from the kind's settings schema. */
export function SettingsFields({ kind, values, errors, onChange }: SettingsFieldsProps) {
  return (
    <div className="settings-grid">
      {settingsFields(kind).map((field) => (
        <FieldInput
          key={`${kind}.${field.key}`}
          field={field}
          value={values[field.key]}
          error={errors[`settings.${field.key}`]}
          onChange={(value) => onChange(field.key, value)}
        />
      ))}
    </div>
  );
}
