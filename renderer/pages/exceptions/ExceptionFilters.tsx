import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { EXCEPTION_CLASSES, EXCEPTION_STATES } from '../../../shared/domain/exception.js';
import { NativeField } from '../../components/NativeField.js';
import { TextInput } from '../../components/TextInput.js';
import { AGE_CHOICES, type InboxFilter } from '../../stores/exceptions-store.js';
import { AGE_LABELS, CLASS_LABELS, STATE_LABELS } from './exception-display.js';

interface ExceptionFiltersProps {
  readonly filter: InboxFilter;
  readonly flows: readonly { readonly id: string; readonly name: string }[];
  /** The signed-in operator's username, for "assigned to me". */
  readonly me: string | null;
  readonly onChange: (patch: Partial<InboxFilter>) => void;
}

const ANY = '';
const UNASSIGNED = '\u0000unassigned';

function assigneeValue(assignee: string | null | undefined): string {
  if (assignee === undefined) return ANY;
  return assignee === null ? UNASSIGNED : assignee;
}

interface ChoiceProps {
  readonly label: string;
  readonly value: string;
  readonly options: readonly (readonly [string, string])[];
  readonly onChange: (value: string) => void;
}

function Choice({ label, value, options, onChange }: ChoiceProps) {
  return (
    <NativeField label={label}>
      {(control) => (
        <select
          {...control}
          className="field-input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        >
          {options.map(([key, text]) => (
            <option key={key} value={key}>
              {text}
            </option>
          ))}
        </select>
      )}
    </NativeField>
  );
}

const optional = (value: string): string | undefined => (value === ANY ? undefined : value);

/** Narrow the inbox: flow, class, state, age, assignee (a choice applies at once), and text. */
export function ExceptionFilters({ filter, flows, me, onChange }: ExceptionFiltersProps) {
  const [text, setText] = useState(filter.text ?? '');

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onChange({ text });
  }

  const assignees: [string, string][] = [
    [ANY, 'Anyone'],
    [UNASSIGNED, 'Unassigned'],
  ];
  if (me !== null) assignees.push([me, 'Assigned to me']);
  const current = assigneeValue(filter.assignee);
  if (current !== ANY && current !== UNASSIGNED && current !== me) assignees.push([current, current]);

  return (
    <form noValidate className="filters exception-filters" onSubmit={submit} aria-label="Exception filters">
      <Choice
        label="Flow"
        value={filter.flowId ?? ANY}
        options={[[ANY, 'Every flow'], ...flows.map((flow) => [flow.id, flow.name] as const)]}
        onChange={(value) => onChange({ flowId: optional(value) })}
      />
      <Choice
        label="Class"
        value={filter.class ?? ANY}
        options={[[ANY, 'Every class'], ...EXCEPTION_CLASSES.map((c) => [c, CLASS_LABELS[c]] as const)]}
        onChange={(value) => onChange({ class: EXCEPTION_CLASSES.find((c) => c === value) })}
      />
      <Choice
        label="State"
        value={filter.state ?? ANY}
        options={[[ANY, 'Every state'], ...EXCEPTION_STATES.map((s) => [s, STATE_LABELS[s]] as const)]}
        onChange={(value) => onChange({ state: EXCEPTION_STATES.find((s) => s === value) })}
      />
      <Choice
        label="Age"
        value={filter.age ?? 'any'}
        options={AGE_CHOICES.map((age) => [age, AGE_LABELS[age]] as const)}
        onChange={(value) => onChange({ age: AGE_CHOICES.find((age) => age === value) })}
      />
      <Choice
        label="Assignee"
        value={current}
        options={assignees}
        onChange={(value) =>
          onChange({ assignee: value === ANY ? undefined : value === UNASSIGNED ? null : value })
        }
      />
      <TextInput
        label="Text"
        name="text"
        value={text}
        onChange={setText}
        description="Part of the source record id or the message"
      />
      <div className="filters-actions">
        <Button type="submit" className="button">
          Search
        </Button>
      </div>
    </form>
  );
}
