import type { LeafField } from './record-fields.js';
import { NativeField } from '../../components/NativeField.js';

interface LeafFieldsFormProps {
  readonly fields: readonly LeafField[];
  readonly texts: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly onChange: (label: string, text: string) => void;
  /** Removes a field added in the form; the record's own fields stay (edit their values instead). */
  readonly onRemove: (label: string) => void;
}

const KIND_HINTS: Readonly<Record<LeafField['kind'], string | undefined>> = {
  string: undefined,
  number: 'A number',
  boolean: undefined,
  null: 'Empty (null); a value typed here is saved as text',
  'empty-object': 'An empty group; add fields to it below',
  'empty-list': 'An empty list; add items to it below, from [0]',
};

/** An added field says so, with its type's hint: the user sees what is new in the record. */
function addedHint(kind: LeafField['kind']): string {
  const hint = KIND_HINTS[kind];
  return hint === undefined ? 'Added here' : `Added here. ${hint}`;
}

/**
 * The source record as one input per leaf field, labelled with its path. The input matches the
 * field's type so what is saved keeps it: numbers stay numbers, yes/no stays a boolean.
 */
export function LeafFieldsForm({ fields, texts, errors, onChange, onRemove }: LeafFieldsFormProps) {
  if (fields.length === 0) return <p className="muted">The record has no fields.</p>;
  return (
    <div className="leaf-fields">
      {fields.map((field) => {
        const text = texts[field.label] ?? field.text;
        return (
          <NativeField
            key={field.label}
            label={field.label}
            description={field.added === true ? addedHint(field.kind) : KIND_HINTS[field.kind]}
            error={errors[field.label]}
          >
            {(control) => {
              const input =
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
                );
              if (field.added !== true) return input;
              // Only a field added here can go again: the record's own fields are kept. The button's
              // name stays "Remove" (its title says which field) so the field's label names only its input.
              return (
                <div className="leaf-field-row">
                  {input}
                  <button
                    type="button"
                    className="button"
                    title={`Remove the added field ${field.label}`}
                    onClick={() => onRemove(field.label)}
                  >
                    Remove
                  </button>
                </div>
              );
            }}
          </NativeField>
        );
      })}
    </div>
  );
}
