import { useId, useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { AUDIT_OUTCOMES } from '../../../shared/domain/audit.js';
import { CheckboxInput } from '../../components/CheckboxInput.js';
import { NativeField } from '../../components/NativeField.js';
import { SelectInput } from '../../components/SelectInput.js';
import { TextInput } from '../../components/TextInput.js';
import { EMPTY_AUDIT_FILTER, isFiltered, type AuditFilter } from '../../stores/audit-filter.js';
import { actionSuggestions } from './audit-actions.js';
import { isoToLocalInput, localInputToIso } from './audit-time.js';

interface AuditFiltersProps {
  readonly filter: AuditFilter;
  readonly onApply: (filter: AuditFilter) => void;
}

const OUTCOME_LABELS = { ok: 'OK', denied: 'Denied', error: 'Error' } as const;
const OUTCOME_OPTIONS = [
  { value: '', label: 'Any outcome' },
  ...AUDIT_OUTCOMES.map((outcome) => ({ value: outcome, label: OUTCOME_LABELS[outcome] })),
];
const SUGGESTIONS = actionSuggestions();

/** Search the log by text, operator, action (or family), object, outcome and period. */
export function AuditFilters({ filter, onApply }: AuditFiltersProps) {
  const listId = useId();
  const [draft, setDraft] = useState(filter);
  const [from, setFrom] = useState(isoToLocalInput(filter.from));
  const [to, setTo] = useState(isoToLocalInput(filter.to));
  const [error, setError] = useState<{ from?: string; to?: string }>({});
  const edit = (change: Partial<AuditFilter>) => setDraft((current) => ({ ...current, ...change }));

  function apply(next: AuditFilter, fromText: string, toText: string) {
    const fromIso = localInputToIso(fromText);
    const toIso = localInputToIso(toText);
    const problems = {
      ...(fromIso === null ? { from: 'Enter a date and time' } : {}),
      ...(toIso === null ? { to: 'Enter a date and time' } : {}),
      ...(fromIso && toIso && Date.parse(fromIso) >= Date.parse(toIso)
        ? { to: 'The period must end after it starts' }
        : {}),
    };
    setError(problems);
    if (fromIso === null || toIso === null || Object.keys(problems).length > 0) return;
    onApply({ ...next, from: fromIso, to: toIso });
  }

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    apply(draft, from, to);
  }

  function clear() {
    setDraft({ ...EMPTY_AUDIT_FILTER, showReads: draft.showReads });
    setFrom('');
    setTo('');
    apply({ ...EMPTY_AUDIT_FILTER, showReads: draft.showReads }, '', '');
  }

  function toggleReads(showReads: boolean) {
    // Takes effect at once: it is a view switch, not a search to compose.
    edit({ showReads });
    onApply({ ...filter, showReads });
  }

  return (
    <form noValidate className="filters audit-filters" onSubmit={submit} aria-label="Audit filters">
      <TextInput
        label="Search"
        name="text"
        value={draft.text}
        onChange={(text) => edit({ text })}
        description="Words in the action, operator, target or detail"
      />
      <TextInput
        label="Operator"
        name="actor"
        value={draft.actor}
        onChange={(actor) => edit({ actor })}
        description="Username, engine or system"
      />
      <NativeField label="Action" description="An action, or a family such as exceptions">
        {(control) => (
          <>
            <input
              {...control}
              className="field-input"
              name="action"
              list={listId}
              autoComplete="off"
              value={draft.action}
              onChange={(event) => edit({ action: event.target.value })}
            />
            <datalist id={listId}>
              {SUGGESTIONS.map((option) => (
                <option key={option.value} value={option.value} label={option.label} />
              ))}
            </datalist>
          </>
        )}
      </NativeField>
      <TextInput
        label="Object"
        name="object"
        value={draft.object}
        onChange={(object) => edit({ object })}
        description="An id, or a name (connection, flow, …)"
      />
      <SelectInput
        label="Outcome"
        name="outcome"
        value={draft.outcome}
        options={OUTCOME_OPTIONS}
        onChange={(outcome) => edit({ outcome: outcome as AuditFilter['outcome'] })}
      />
      <NativeField label="From" error={error.from}>
        {(control) => (
          <input
            {...control}
            className="field-input"
            type="datetime-local"
            name="from"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
          />
        )}
      </NativeField>
      <NativeField label="To" error={error.to} description="Up to, not including">
        {(control) => (
          <input
            {...control}
            className="field-input"
            type="datetime-local"
            name="to"
            value={to}
            onChange={(event) => setTo(event.target.value)}
          />
        )}
      </NativeField>
      <div className="filters-actions">
        <Button type="submit" className="button">
          Apply filters
        </Button>
        {isFiltered(filter) && (
          <Button className="button" onPress={clear}>
            Clear
          </Button>
        )}
      </div>
      <CheckboxInput
        label="Show page views"
        name="showReads"
        checked={filter.showReads}
        onChange={toggleReads}
      />
    </form>
  );
}
