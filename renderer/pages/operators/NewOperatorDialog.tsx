import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import type { Role } from '../../../shared/contract/roles.js';
import { useOps } from '../../app/client-context.js';
import { errorsFromMessage, NO_ERRORS, placeErrors, type FormErrors } from '../../client/field-errors.js';
import { Alert } from '../../components/Alert.js';
import { clearSecretInputs, readField } from '../../components/form-data.js';
import { FormDialog } from '../../components/FormDialog.js';
import { PasswordInput } from '../../components/PasswordInput.js';
import { TextInput } from '../../components/TextInput.js';
import { operatorsStore } from '../../stores/operators-store.js';
import { CREATE_FIELDS, readNewOperator } from './operator-form.js';
import { RoleCheckboxes } from './RoleCheckboxes.js';

/** Creates an operator account; the first password is typed here and never kept. */
export function NewOperatorDialog({ onClose }: { readonly onClose: () => void }) {
  const ops = useOps();
  const [roles, setRoles] = useState<Role[]>(['viewer']);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const draft = readNewOperator({
      username: readField(form, 'username'),
      displayName: readField(form, 'displayName'),
      password: readField(form, 'password'),
      roles,
    });
    clearSecretInputs(form);
    if (!draft.ok) {
      setErrors(draft.errors);
      return;
    }
    setBusy(true);
    const result = await ops['operators.create'](draft.input);
    setBusy(false);
    if (result.ok) {
      operatorsStore.getState().upsert(result.value);
      onClose();
    } else if (result.error.code === 'invalid-input') {
      setErrors(placeErrors(errorsFromMessage(result.error.message), CREATE_FIELDS));
    } else setErrors({ fields: {}, form: result.error.message });
  }

  return (
    <FormDialog title="New operator" isOpen onClose={onClose}>
      <form noValidate className="form" onSubmit={(event) => void submit(event)}>
        <TextInput label="Username" name="username" error={errors.fields.username} isRequired autoFocus />
        <TextInput label="Display name" name="displayName" error={errors.fields.displayName} isRequired />
        <PasswordInput
          label="Password"
          name="password"
          autoComplete="new-password"
          description="At least 12 characters. Tell it to the operator in person."
          error={errors.fields.password}
        />
        <RoleCheckboxes value={roles} onChange={setRoles} error={errors.fields.roles} />
        {errors.form !== null && <Alert tone="error">{errors.form}</Alert>}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Create operator
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
