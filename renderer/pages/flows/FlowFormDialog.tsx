import { useEffect, useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import type { Flow } from '../../../shared/domain/flow.js';
import { useOps } from '../../app/client-context.js';
import { errorsFromMessage, NO_ERRORS, placeErrors, type FormErrors } from '../../client/field-errors.js';
import { Alert } from '../../components/Alert.js';
import { CheckboxInput } from '../../components/CheckboxInput.js';
import { FormDialog } from '../../components/FormDialog.js';
import { SelectInput } from '../../components/SelectInput.js';
import { TextAreaInput } from '../../components/TextAreaInput.js';
import { TextInput } from '../../components/TextInput.js';
import { connectionsStore } from '../../stores/connections-store.js';
import { flowsStore } from '../../stores/flows-store.js';
import { mappingsStore } from '../../stores/mappings-store.js';
import { AnomalyFields } from './AnomalyFields.js';
import {
  FLOW_FORM_FIELDS,
  initialFlowValues,
  keepUnedited,
  readFlowForm,
  type FlowFormValues,
} from './flow-form-values.js';

interface FlowFormDialogProps {
  /** The flow to edit, or null to create one. */
  readonly flow: Flow | null;
  readonly onClose: () => void;
}

const SCHEDULE_OPTIONS = [
  { value: 'manual', label: 'Manual (Run now only)' },
  { value: 'cron', label: 'Cron schedule' },
  { value: 'realtime', label: 'Real time (on webhook)' },
];

function choose(label: string, items: readonly { id: string; name: string }[]) {
  return [{ value: '', label }, ...items.map((item) => ({ value: item.id, label: item.name }))];
}

/** Create or edit a flow: source, target, mapping, schedule and limits. */
export function FlowFormDialog({ flow, onClose }: FlowFormDialogProps) {
  const ops = useOps();
  const connections = useStore(connectionsStore, (state) => state.items);
  const mappings = useStore(mappingsStore, (state) => state.items);
  const [values, setValues] = useState<FlowFormValues>(() => initialFlowValues(flow));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void mappingsStore.getState().load(ops);
  }, [ops]);

  function set<K extends keyof FlowFormValues>(key: K, value: FlowFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function showErrors(found: FormErrors) {
    setErrors(placeErrors(found, FLOW_FORM_FIELDS));
  }

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const read = readFlowForm(values);
    if (!read.ok) {
      showErrors(read.errors);
      return;
    }
    setBusy(true);
    const result =
      flow === null
        ? await ops['flows.create'](read.definition)
        : await ops['flows.update']({ id: flow.id, definition: keepUnedited(read.definition, flow) });
    setBusy(false);
    if (result.ok) {
      flowsStore.getState().upsertFlow(result.value);
      onClose();
    } else if (result.error.code === 'invalid-input') showErrors(errorsFromMessage(result.error.message));
    else setErrors({ fields: {}, form: result.error.message });
  }

  const e = errors.fields;
  return (
    <FormDialog title={flow === null ? 'New flow' : `Edit ${flow.name}`} isOpen onClose={onClose} size="wide">
      <form noValidate className="form" onSubmit={(event) => void submit(event)}>
        <div className="settings-grid">
          <TextInput
            label="Name"
            name="name"
            value={values.name}
            onChange={(v) => set('name', v)}
            error={e.name}
            isRequired
            autoFocus
          />
          <TextInput
            label="Description"
            name="description"
            value={values.description}
            onChange={(v) => set('description', v)}
            error={e.description}
          />
          <SelectInput
            label="Source connection"
            name="sourceConnectionId"
            value={values.sourceConnectionId}
            options={choose('Choose…', connections)}
            onChange={(v) => set('sourceConnectionId', v)}
            error={e.sourceConnectionId}
          />
          <SelectInput
            label="Target connection"
            name="targetConnectionId"
            value={values.targetConnectionId}
            options={choose('Choose…', connections)}
            onChange={(v) => set('targetConnectionId', v)}
            error={e.targetConnectionId}
          />
          <TextAreaInput
            label="Source selector (JSON)"
            name="sourceSelector"
            value={values.sourceSelector}
            onChange={(v) => set('sourceSelector', v)}
            error={e.sourceSelector}
            description='e.g. {"resourceType": "SupplyDelivery"}'
          />
          <TextAreaInput
            label="Target operation (JSON)"
            name="targetOperation"
            value={values.targetOperation}
            onChange={(v) => set('targetOperation', v)}
            error={e.targetOperation}
            description='e.g. {"model": "stock.move", "kind": "upsert"}'
          />
          <SelectInput
            label="Mapping"
            name="mappingId"
            value={values.mappingId}
            options={choose('Choose…', mappings)}
            onChange={(v) => set('mappingId', v)}
            error={e.mappingId}
          />
          <SelectInput
            label="Schedule"
            name="scheduleKind"
            value={values.scheduleKind}
            options={SCHEDULE_OPTIONS}
            onChange={(v) => set('scheduleKind', v === 'cron' || v === 'realtime' ? v : 'manual')}
          />
          {values.scheduleKind === 'cron' && (
            <>
              <TextInput
                label="Cron expression"
                name="cronExpression"
                value={values.cronExpression}
                onChange={(v) => set('cronExpression', v)}
                error={e['schedule.expression']}
                description="e.g. */15 * * * * (every 15 minutes)"
              />
              <TextInput
                label="Time zone"
                name="timezone"
                value={values.timezone}
                onChange={(v) => set('timezone', v)}
                error={e['schedule.timezone']}
                description="Optional, e.g. Europe/Brussels"
              />
            </>
          )}
          <TextInput
            label="Batch size"
            name="batchSize"
            inputMode="numeric"
            value={values.batchSize}
            onChange={(v) => set('batchSize', v)}
            error={e.batchSize}
            description="Records per target write, 1–5000"
          />
          <TextInput
            label="Ordering key"
            name="orderingKey"
            value={values.orderingKey}
            onChange={(v) => set('orderingKey', v)}
            error={e.orderingKey}
            description="JSONata; empty: the target key orders"
          />
          <TextInput
            label="Freshness objective (minutes)"
            name="freshnessMinutes"
            inputMode="numeric"
            value={values.freshnessMinutes}
            onChange={(v) => set('freshnessMinutes', v)}
            error={e.freshnessObjectiveMinutes}
            description="Empty: no objective"
          />
          <CheckboxInput
            label="Enabled (runs on its schedule)"
            name="enabled"
            checked={values.enabled}
            onChange={(v) => set('enabled', v)}
          />
        </div>
        <AnomalyFields
          values={values}
          onChange={(patch) => setValues((c) => ({ ...c, ...patch }))}
          errors={e}
        />
        {errors.form !== null && <Alert tone="error">{errors.form}</Alert>}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Save flow
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
