import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import {
  CONNECTION_KIND_LABELS,
  CONNECTION_KINDS,
  type Connection,
  type ConnectionKind,
} from '../../../shared/domain/connection.js';
import { useOps } from '../../app/client-context.js';
import { errorsFromMessage, NO_ERRORS, placeErrors, type FormErrors } from '../../client/field-errors.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { SelectInput } from '../../components/SelectInput.js';
import { TextInput } from '../../components/TextInput.js';
import { connectionsStore } from '../../stores/connections-store.js';
import { settingsFields } from './settings-fields.js';
import { SettingsFields } from './SettingsFields.js';
import { initialValues, readConnectionForm, type SettingsValues } from './settings-form-values.js';

interface ConnectionFormDialogProps {
  /** The connection to edit, or null to create one. */
  readonly connection: Connection | null;
  readonly onClose: () => void;
}

const KIND_OPTIONS = CONNECTION_KINDS.map((kind) => ({ value: kind, label: CONNECTION_KIND_LABELS[kind] }));

/** Create or edit a connection. The kind is chosen once, at creation; its settings inputs follow it. */
export function ConnectionFormDialog({ connection, onClose }: ConnectionFormDialogProps) {
  const ops = useOps();
  const [kind, setKind] = useState<ConnectionKind>(connection?.kind ?? 'odoo');
  const [name, setName] = useState(connection?.name ?? '');
  const [values, setValues] = useState<SettingsValues>(() => initialValues(kind, connection?.settings));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  function changeKind(next: string) {
    const chosen = CONNECTION_KINDS.find((candidate) => candidate === next) ?? 'odoo';
    setKind(chosen);
    setValues(initialValues(chosen));
    setErrors(NO_ERRORS);
  }

  function showErrors(found: FormErrors) {
    const shown = ['name', ...settingsFields(kind).map((field) => `settings.${field.key}`)];
    setErrors(placeErrors(found, shown));
  }

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const draft = readConnectionForm(kind, name, values);
    if (!draft.ok) {
      showErrors(draft.errors);
      return;
    }
    setBusy(true);
    const input = { name: draft.name, settings: draft.settings };
    const result =
      connection === null
        ? await ops['connections.create'](input)
        : await ops['connections.update']({ id: connection.id, ...input });
    setBusy(false);
    if (result.ok) {
      connectionsStore.getState().upsert(result.value);
      onClose();
    } else if (result.error.code === 'invalid-input') showErrors(errorsFromMessage(result.error.message));
    else setErrors({ fields: {}, form: result.error.message });
  }

  const title = connection === null ? 'New connection' : `Edit ${connection.name}`;
  return (
    <FormDialog title={title} isOpen onClose={onClose} size="wide">
      <form noValidate className="form" onSubmit={(event) => void submit(event)}>
        <TextInput
          label="Name"
          name="name"
          value={name}
          onChange={setName}
          error={errors.fields.name}
          isRequired
          autoFocus
        />
        {connection === null ? (
          <SelectInput label="Kind" name="kind" value={kind} options={KIND_OPTIONS} onChange={changeKind} />
        ) : (
          <p className="fixed-kind">
            Kind: <strong>{CONNECTION_KIND_LABELS[kind]}</strong> (fixed once created)
          </p>
        )}
        <SettingsFields
          kind={kind}
          values={values}
          errors={errors.fields}
          onChange={(key, value) => {
            setValues((current) => ({ ...current, [key]: value }));
            // An error stays only until its field is edited; the next save checks everything again.
            setErrors((current) => {
              const { [`settings.${key}`]: _fixed, ...rest } = current.fields;
              return { ...current, fields: rest };
            });
          }}
        />
        {errors.form !== null && <Alert tone="error">{errors.form}</Alert>}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Save connection
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
