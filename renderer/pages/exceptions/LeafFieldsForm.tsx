import type { LeafField } from './record-fields.js';
import { NativeField } from '../../components/NativeField.js';

interface LeafFieldsFormProps {
  readonly fields: readonly LeafField[];
  readonly texts: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly onChange: (label: string, text: string) => void;
}

const KIND_HINTS: Readonly<Record<LeafField['kind'], string | undefined>> = {
  string: undefined,
  number: 'A number',
  boolean: undefined,
  null: 'Empty (null); a value typed here is saved as text',
  'empty-object': 'An empty group; add fields in the JSON view',
  'empty-list': 'An empty list; add items in the JSON view',
};

/**
 * The source record as one input per leaf field, labelled with its path. The input matches the
 * field's type so what is saved keeps it: numbers stay numbers, yes/no stays a boolean.
 */
export function LeafFieldsForm({ fields, texts, errors, onChange }: LeafFieldsFormProps) {
  if (fields.length === 0) return <p className="muted">The record has no fields.</p>;
  return (
    <div className="leaf-fields">
      {fields.map((field) => {
        const text = texts[field.label] ?? field.text;
        return (
          <NativeField
            key={field.label}
            label={field.label}
            description={KIND_HINTS[field.kind]}
            error={errors[field.label]}
          >
            {(control) =>
              field.kind === 'boolean' ? (
                <select
                  {...control}
                  className="field-input"
                  value={text}
                  onChange={(event) => onChange(field.label, event.target.value)}
                >
                  <option value="true">yes (true)</option>
                  <option value="false">no (false)</option>
                </select>
              ) : (
                <input
                  {...control}
                  className="field-input"
                  value={text}
                  title={text}
                  readOnly={field.kind === 'empty-object' || field.kind === 'empty-list'}
                  inputMode={field.kind === 'number' ? 'decimal' : 'text'}
                  placeholder={field.kind === 'null' ? 'null' : undefined}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(event) => onChange(field.label, event.target.value)}
                />
              )
            }
          </NativeField>
        );
      })}
    </div>
  );
}
