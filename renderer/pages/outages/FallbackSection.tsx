import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { FallbackEntry, FallbackForm as FallbackFormShape } from '../../../shared/domain/fallback.js';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { SelectInput } from '../../components/SelectInput.js';
import { sessionStore } from '../../stores/session-store.js';
import type { FallbackFlowChoice } from './fallback-choices.js';
import { FallbackEntries } from './FallbackEntries.js';
import { FallbackForm } from './FallbackForm.js';

interface FallbackSectionProps {
  readonly flows: readonly FallbackFlowChoice[];
  /** The flow to offer when the section appears (one whose source is down), when there is one. */
  readonly preferredFlowId: string | null;
  /** Bumped with every new overview (an entry queued, sent or matched): the entries are read again. */
  readonly refreshKey: unknown;
}

/** Manual fallback: pick a flow, enter a transaction through its form, see the entries and their state. */
export function FallbackSection({ flows, preferredFlowId, refreshKey }: FallbackSectionProps) {
  const ops = useOps();
  const roles = useStore(sessionStore, (state) => state.roles);
  const canEnter = useCan('fallback.enter');
  const canList = useCan('fallback.list');
  // Chosen once at mount (a flow whose source is down, if any), then only by the operator: a form
  // being filled must not jump to another flow when the outage ends.
  const [chosen, setChosen] = useState<string | null>(() => preferredFlowId ?? flows[0]?.flowId ?? null);
  const [form, setForm] = useState<FallbackFormShape | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [entries, setEntries] = useState<readonly FallbackEntry[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [entered, setEntered] = useState(0);
  const flowId = chosen ?? flows[0]?.flowId ?? null;

  useEffect(() => {
    if (flowId === null || !canEnter) return;
    let current = true;
    void ops['fallback.form']({ flowId }).then((result) => {
      if (!current) return;
      setForm(result.ok ? result.value : null);
      setFormError(result.ok ? null : result.error.message);
    });
    return () => {
      current = false;
    };
  }, [ops, flowId, canEnter, refreshKey]);

  useEffect(() => {
    if (flowId === null || !canList) return;
    let current = true;
    void ops['fallback.list']({ flowId, limit: 100 }).then((result) => {
      if (!current) return;
      setEntries(result.ok ? result.value : []);
      setListError(result.ok ? null : result.error.message);
    });
    return () => {
      current = false;
    };
  }, [ops, flowId, canList, refreshKey, entered]);

  if (!canEnter) return null;
  // The flow's own fallback roles: administrators always, others as the flow grants (the server checks).
  const allowed =
    form !== null && (roles.includes('administrator') || roles.some((role) => form.roles.includes(role)));

  return (
    <section className="outages-section" aria-labelledby="fallback-heading">
      <h2 id="fallback-heading">Manual fallback</h2>
      <p className="page-lead">
        While a source system is down, enter its transactions by hand. Each entry is mapped and checked like a
        source record, and matched to the source&apos;s own event when that arrives, so nothing is posted
        twice.
      </p>
      {flows.length === 0 ? (
        <p className="empty">No flow to enter transactions for.</p>
      ) : (
        <>
          <SelectInput
            label="Flow"
            name="fallback-flow"
            value={flowId ?? ''}
            options={flows.map((flow) => ({ value: flow.flowId, label: flow.name }))}
            onChange={(value) => {
              setChosen(value);
              setForm(null);
            }}
          />
          {formError !== null && <Alert tone="error">Could not load the form: {formError}</Alert>}
          {form !== null && form.flowId === flowId && !allowed && (
            <Alert tone="info">
              Your roles cannot enter transactions for {form.flowName}; ask an administrator to grant your
              role.
            </Alert>
          )}
          {form !== null && form.flowId === flowId && allowed && (
            <FallbackForm form={form} onEntered={() => setEntered((count) => count + 1)} />
          )}
          {canList && (
            <FallbackEntries
              entries={entries}
              fields={form?.fields ?? []}
              flowName={flows.find((flow) => flow.flowId === flowId)?.name ?? ''}
              error={listError}
            />
          )}
        </>
      )}
    </section>
  );
}
