import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { TextInput } from '../../components/TextInput.js';
import type { AuditFilter } from '../../stores/audit-store.js';

interface AuditFiltersProps {
  readonly filter: AuditFilter;
  readonly onApply: (filter: AuditFilter) => void;
}

/** Narrow the log to one action (e.g. connections.setSecret) and/or one operator. */
export function AuditFilters({ filter, onApply }: AuditFiltersProps) {
  const [action, setAction] = useState(filter.action);
  const [actor, setActor] = useState(filter.actor);

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ action, actor });
  }

  function clear() {
    setAction('');
    setActor('');
    onApply({ action: '', actor: '' });
  }

  return (
    <form noValidate className="filters" onSubmit={submit} aria-label="Audit filters">
      <TextInput
        label="Action"
        name="action"
        value={action}
        onChange={setAction}
        description="Exact action name"
      />
      <TextInput
        label="Operator"
        name="actor"
        value={actor}
        onChange={setActor}
        description="Username, engine or system"
      />
      <div className="filters-actions">
        <Button type="submit" className="button">
          Apply filters
        </Button>
        {(filter.action !== '' || filter.actor !== '') && (
          <Button className="button" onPress={clear}>
            Clear
          </Button>
        )}
      </div>
    </form>
  );
}
