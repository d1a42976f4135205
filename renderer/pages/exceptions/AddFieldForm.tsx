import { useState, type KeyboardEvent } from 'react';
import { NativeField } from '../../components/NativeField.js';
import {
  newField,
  type LeafField,
  type NewFieldDraft,
  type NewFieldErrors,
  type NewFieldType,
} from './record-fields.js';

const TYPE_OPTIONS: readonly { readonly value: NewFieldType; readonly label: string }[] = [
  { value: 'text', label: 'text' },
  { value: 'number', label: 'number' },
  { value: 'boolean', label: 'true/false' },
  { value: 'null', label: 'empty (null)' },
];

function typeOf(value: string): NewFieldType {
  return TYPE_OPTIONS.find((option) => option.value === value)?.value ?? 'text';
}

const EMPTY_DRAFT: NewFieldDraft = { path: '', value: '', type: 'text' };

interface AddFieldInputsProps {
  readonly draft: NewFieldDraft;
  readonly errors: NewFieldErrors;
  /** What was added last, told to screen readers. */
  readonly added: string | null;
  readonly onDraftChange: (draft: NewFieldDraft) => void;
  readonly onAdd: () => void;
}

/**
 * The "Add a field" inputs, controlled. They sit inside the replay form, which cannot hold a second
 * form, so Enter in them adds the field instead of submitting the replay.
 */
export function AddFieldInputs({ draft, errors, added, onDraftChange, onAdd }: AddFieldInputsProps) {
  function addOnEnter(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    onAdd();
  }
  return (
    <div className="add-field" role="group" aria-label="Add a field">
      <h4 className="add-field-heading">Add a field</h4>
      <div className="add-field-inputs">
        <NativeField
          label="New field path"
          description="Like patient.reference or coding[0].code"
          error={errors.path}
        >
          {(control) => (
            <input
              {...control}
              className="field-input"
              value={draft.path}
              spellCheck={false}
              autoComplete="off"
              onKeyDown={addOnEnter}
              onChange={(event) => onDraftChange({ ...draft, path: event.target.value })}
            />
          )}
        </NativeField>
        <NativeField label="New field value" error={errors.value}>
          {(control) => (
            <input
              {...control}
              className="field-input"
              value={draft.value}
              inputMode={draft.type === 'number' ? 'decimal' : 'text'}
              placeholder={
                draft.type === 'null' ? 'null' : draft.type === 'boolean' ? 'true or false' : undefined
              }
              spellCheck={false}
              autoComplete="off"
              onKeyDown={addOnEnter}
              onChange={(event) => onDraftChange({ ...draft, value: event.target.value })}
            />
          )}
        </NativeField>
        <NativeField label="New field type">
          {(control) => (
            <select
              {...control}
              className="field-input"
              value={draft.type}
              onChange={(event) => onDraftChange({ ...draft, type: typeOf(event.target.value) })}
            >
              {TYPE_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </NativeField>
        <button type="button" className="button" onClick={onAdd}>
          Add field
        </button>
      </div>
      <p role="status" className="visually-hidden">
        {added === null ? '' : `Added ${added}`}
      </p>
    </div>
  );
}

interface AddFieldFormProps {
  /** The record the form edits, and its fields so far: a new field may not land on one of them. */
  readonly base: unknown;
  readonly fields: readonly LeafField[];
  readonly onAdd: (field: LeafField) => void;
}

/** Adds a field the record lacks (a missing `patient.reference`) without switching to JSON. */
export function AddFieldForm({ base, fields, onAdd }: AddFieldFormProps) {
  const [draft, setDraft] = useState<NewFieldDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<NewFieldErrors>({});
  const [added, setAdded] = useState<string | null>(null);

  function add() {
    const result = newField(base, fields, draft);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    onAdd(result.field);
    setDraft(EMPTY_DRAFT);
    setErrors({});
    setAdded(result.field.label);
  }

  return <AddFieldInputs draft={draft} errors={errors} added={added} onDraftChange={setDraft} onAdd={add} />;
}
