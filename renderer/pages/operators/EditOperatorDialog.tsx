import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import type { Role } from '../../../shared/contract/roles.js';
import type { Operator } from '../../../shared/domain/operator.js';
import { useOps } from '../../app/client-context.js';
import { errorsFromMessage, NO_ERRORS, placeErrors, type FormErrors } from '../../client/field-errors.js';
import { Alert } from '../../components/Alert.js';
import { CheckboxInput } from '../../components/CheckboxInput.js';
import { FormDialog } from '../../components/FormDialog.js';
import { TextInput } from '../../components/TextInput.js';
import { operatorsStore } from '../../stores/operators-store.js';
import { EDIT_FIELDS, readOperatorChanges } from './operator-form.js';
import { RoleCheckboxes } from './RoleCheckboxes.js';

interface EditOperatorDialogProps {
  readonly operator: Operator;
  readonly onClose: () => void;
}

/** Change an operator's display name and roles, or disable the account (which ends its sessions). */
export function EditOperatorDialog({ operator, onClose }: EditOperatorDialogProps) {
  const ops = useOps();
  const [displayName, setDisplayName] = useState(operator.displayName);
  const [roles, setRoles] = useState<Role[]>([...operator.roles]);
  const [disabled, setDisabled] = useState(operator.disabled);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const draft = readOperatorChanges(operator, { displayName, roles, disabled });
    if (!draft.ok) {
      setErrors(draft.errors);
      return;
    }
    setBusy(true);
    const result = await ops['operators.update'](draft.input);
    setBusy(false);
    if (result.ok) {
      operatorsStore.getState().upsert(result.value);
      onClose();
    } else if (result.error.code === 'invalid-input') {
      setErrors(placeErrors(errorsFromMessage(result.error.message), EDIT_FIELDS));
    } else setErrors({ fields: {}, form: result.error.message });
  }

  return (
    <FormDialog title={`Edit ${operator.username}`} isOpen onClose={onClose}>
      <form noValidate className="form" onSubmit={(event) => void submit(event)}>
        <TextInput
          label="Display name"
          name="displayName"
          value={displayName}
          onChange={setDisplayName}
          error={errors.fields.displayName}
          isRequired
          autoFocus
        />
        <RoleCheckboxes value={roles} onChange={setRoles} error={errors.fields.roles} />
        <CheckboxInput
          label="Account disabled"
          name="disabled"
          checked={disabled}
          onChange={setDisabled}
          error={errors.fields.disabled}
          whenChecked={<Alert tone="warning">A disabled operator cannot sign in; open sessions end.</Alert>}
        />
        {errors.form !== null && <Alert tone="error">{errors.form}</Alert>}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Save operator
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
