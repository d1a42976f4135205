import type { OperationName } from './operations.js';

/**
 * The operation names alone, without the input schemas behind them. The sandboxed preload is bundled as one
 * file and must stay tiny and free of parsing code (validation belongs to the main side), so it imports
 * this list instead of the `operations` table. A unit test proves the list equals
 * `Object.keys(operations)`; the type below makes a missing name a compile error.
 */
export const OPERATION_NAME_LIST = [
  'session.status',
  'session.setupFirstAdmin',
  'session.login',
  'session.unlock',
  'session.lock',
  'session.logout',
  'operators.list',
  'operators.create',
  'operators.update',
  'operators.resetPassword',
  'connections.list',
  'connections.get',
  'connections.create',
  'connections.update',
  'connections.delete',
  'connections.setSecret',
  'connections.clearSecret',
  'connections.test',
  'audit.list',
  'audit.verify',
  'store.backup',
  'flows.list',
  'flows.get',
  'flows.create',
  'flows.update',
  'flows.delete',
  'flows.setEnabled',
  'flows.runNow',
  'flows.backfill',
  'mappings.list',
  'mappings.get',
  'mappings.create',
  'mappings.saveDraft',
  'mappings.approve',
  'mappings.activate',
  'mappings.diff',
  'mappings.preview',
  'mappings.export',
  'mappings.import',
  'runs.list',
  'runs.get',
  'runs.failures',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
  'lineage.bySource',
  'lineage.byTarget',
  'services.status',
  'exceptions.list',
  'exceptions.groups',
  'exceptions.counts',
  'exceptions.get',
  'exceptions.assign',
  'exceptions.note',
  'exceptions.retry',
  'exceptions.replay',
  'exceptions.ignore',
  'exceptions.mapCode',
  'exceptions.retryWhenReferenced',
  'exceptions.fixes',
  'connections.breakers',
] as const satisfies readonly OperationName[];

export type ListedOperationName = (typeof OPERATION_NAME_LIST)[number];

// If an operation is added to the contract but not to the list, this line stops compiling.
const _noneMissing: [Exclude<OperationName, ListedOperationName>] extends [never] ? true : never = true;
