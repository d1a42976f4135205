/** Operator roles (README, Security model: what each may do). An operator holds one or more. */
export const ROLES = ['it-staff', 'finance', 'administrator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  'it-staff': 'IT staff',
  finance: 'Finance',
  administrator: 'Administrator',
  viewer: 'Viewer',
};

/**
 * Who may call an operation:
 * - 'public': no session needed (session status, login, first-run setup, unlock);
 * - 'any-operator': any signed-in, unlocked operator;
 * - a role list: an unlocked operator holding at least one of these roles.
 */
export type Access = 'public' | 'any-operator' | readonly Role[];

export function rolesAllow(access: Access, roles: readonly Role[]): boolean {
  if (access === 'public' || access === 'any-operator') return true;
  return roles.some((role) => access.includes(role));
}
