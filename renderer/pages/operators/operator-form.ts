import { operations } from '../../../shared/contract/operations.js';
import type { Role } from '../../../shared/contract/roles.js';
import type { Operator } from '../../../shared/domain/operator.js';
import { errorsFromZod, placeErrors, type FormErrors } from '../../client/field-errors.js';

export const CREATE_FIELDS = ['username', 'displayName', 'password', 'roles'];
export const EDIT_FIELDS = ['displayName', 'roles', 'disabled'];

export type OperatorDraft<T> =
  { readonly ok: true; readonly input: T } | { readonly ok: false; readonly errors: FormErrors };

/** Checks a new operator with the contract's own schema, so each mistake shows under its field. */
export function readNewOperator(values: {
  username: string;
  displayName: string;
  password: string;
  roles: readonly Role[];
}): OperatorDraft<{ username: string; displayName: string; password: string; roles: Role[] }> {
  const parsed = operations['operators.create'].input.safeParse({ ...values, roles: [...values.roles] });
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, errors: placeErrors(errorsFromZod(parsed.error), CREATE_FIELDS) };
}

/** Only what changed is sent, so an edit never rewrites fields the operator did not touch. */
export function readOperatorChanges(
  operator: Operator,
  values: { displayName: string; roles: readonly Role[]; disabled: boolean },
): OperatorDraft<{ username: string; displayName?: string; roles?: Role[]; disabled?: boolean }> {
  const changes = {
    username: operator.username,
    ...(values.displayName.trim() !== operator.displayName ? { displayName: values.displayName } : {}),
    ...([...values.roles].sort().join() !== [...operator.roles].sort().join()
      ? { roles: [...values.roles] }
      : {}),
    ...(values.disabled !== operator.disabled ? { disabled: values.disabled } : {}),
  };
  const parsed = operations['operators.update'].input.safeParse(changes);
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, errors: placeErrors(errorsFromZod(parsed.error), EDIT_FIELDS) };
}
