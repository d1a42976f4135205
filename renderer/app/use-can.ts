import { useStore } from 'zustand';
import { operations, type OperationName } from '../../shared/contract/operations.js';
import { rolesAllow, type Role } from '../../shared/contract/roles.js';
import { sessionStore } from '../stores/session-store.js';

/** Whether roles may call an operation, from the contract's access table (the server checks again). */
export function canCall(roles: readonly Role[], name: OperationName): boolean {
  return rolesAllow(operations[name].access, roles);
}

/** Hides what the signed-in operator cannot do, instead of offering buttons that end in "forbidden". */
export function useCan(name: OperationName): boolean {
  const roles = useStore(sessionStore, (state) => state.roles);
  return canCall(roles, name);
}
