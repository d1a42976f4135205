import { ROLE_LABELS, ROLES, type Role } from '../../../shared/contract/roles.js';

interface RoleCheckboxesProps {
  readonly value: readonly Role[];
  readonly onChange: (roles: Role[]) => void;
  readonly error?: string | undefined;
}

const ROLE_HINTS: Record<Role, string> = {
  'it-staff': 'connections, mappings, schedules, syncs',
  finance: 'the exceptions inbox',
  administrator: 'operators, degraded mode, approvals',
  viewer: 'read only',
};

/** One checkbox per role; an operator holds one or more. */
export function RoleCheckboxes({ value, onChange, error }: RoleCheckboxesProps) {
  function toggle(role: Role, checked: boolean) {
    const next = checked ? [...value, role] : value.filter((held) => held !== role);
    onChange(ROLES.filter((candidate) => next.includes(candidate)));
  }
  return (
    <fieldset className="field role-group" aria-invalid={error !== undefined}>
      <legend className="field-label">Roles</legend>
      {ROLES.map((role) => (
        <label key={role} className="checkbox-row">
          <input
            type="checkbox"
            name="roles"
            value={role}
            checked={value.includes(role)}
            onChange={(event) => toggle(role, event.target.checked)}
          />
          <span>
            {ROLE_LABELS[role]} <span className="muted">({ROLE_HINTS[role]})</span>
          </span>
        </label>
      ))}
      {error !== undefined && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
