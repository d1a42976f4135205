import { OPERATION_NAMES } from '../../../shared/contract/operations.js';

/**
 * Actions the engine and the console itself write, which are not operations anyone calls (the
 * contract knows only the operations). Kept here to offer them in the action filter's list.
 */
const ENGINE_ACTIONS = [
  'engine.batch',
  'connection.credentials-refused',
  'connection.breaker-open',
  'connection.breaker-half-open',
  'connection.breaker-closed',
  'exceptions.fix.replay',
  'reconcile.scheduled',
  'audit.checkpoint-failed',
  'store.backup-scheduled',
  'store.backup-failed',
  'store.payloads-pruned',
  'store.integrity-damaged',
  'config.import.connection',
  'config.import.flow',
  'config.import.mapping',
];

/** The families ('exceptions', 'connections', …) then every action, for the action filter's suggestions. */
export function actionSuggestions(): { readonly value: string; readonly label: string }[] {
  const actions = [...new Set([...OPERATION_NAMES, ...ENGINE_ACTIONS])].sort();
  const families = [...new Set(actions.map((action) => action.split('.')[0] ?? action))].sort();
  return [
    ...families.map((family) => ({ value: family, label: `every ${family}.* action` })),
    ...actions.map((action) => ({ value: action, label: action })),
  ];
}
