import type { Flow } from '../../../shared/domain/flow.js';
import { watchCsvDrop, type CsvDropWatcher } from '../../connectors/csv/csv-drop-watcher.js';
import type { FlowsRepo } from '../../engine/store/flows-repo.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { ServiceDefinition } from './service-supervisor.js';

/**
 * One CSV drop watcher per csv-drop connection that an enabled, scheduled flow reads from. A new
 * file wakes those flows at once (trigger "realtime") instead of waiting for their schedule; a flow
 * set to run by hand only is left to its operator. The set of
 * watchers follows connection and flow changes by comparing against the store every few seconds:
 * one cheap query pair, and it needs no hook into every handler that edits them.
 */
export interface CsvDropServiceDeps {
  readonly connections: ConnectionsRepo;
  readonly flows: FlowsRepo;
  /** Starts a run of the flow; a refusal (already running, held) is the caller's to swallow. */
  readonly wake: (flowId: string) => Promise<void>;
  readonly reconcileEveryMs?: number;
  readonly scanIntervalMs?: number;
}

interface Watched {
  readonly folder: string;
  readonly watcher: CsvDropWatcher;
}

export function csvDropService(deps: CsvDropServiceDeps): ServiceDefinition {
  return {
    name: 'csv-drop-watcher',
    label: 'CSV drop folder watchers',
    start(context) {
      const watched = new Map<string, Watched>();
      const wakeable = (flow: Flow): boolean => flow.enabled && flow.schedule.kind !== 'manual';
      const flowsReading = (connectionId: string): string[] =>
        deps.flows
          .list()
          .filter((flow) => wakeable(flow) && flow.sourceConnectionId === connectionId)
          .map((flow) => flow.id);
      const onChange = (connectionId: string): void => {
        for (const flowId of flowsReading(connectionId)) {
          deps.wake(flowId).catch(() => {
            // Already running or held: the run in progress (or the next scan) picks the file up.
          });
        }
      };
      const reconcile = (): void => {
        const wanted = new Map<string, string>();
        const used = new Set(
          deps.flows.list().flatMap((flow) => (wakeable(flow) ? [flow.sourceConnectionId] : [])),
        );
        for (const connection of deps.connections.list()) {
          if (connection.settings.kind === 'csv-drop' && used.has(connection.id))
            wanted.set(connection.id, connection.settings.folder);
        }
        for (const [connectionId, entry] of watched) {
          if (wanted.get(connectionId) !== entry.folder) {
            entry.watcher.close();
            watched.delete(connectionId);
          }
        }
        for (const [connectionId, folder] of wanted) {
          if (watched.has(connectionId)) continue;
          const watcher = watchCsvDrop({
            folder,
            onChange: () => onChange(connectionId),
            ...(deps.scanIntervalMs === undefined ? {} : { scanIntervalMs: deps.scanIntervalMs }),
          });
          watched.set(connectionId, { folder, watcher });
        }
      };
      reconcile();
      const timer = setInterval(() => {
        try {
          reconcile();
        } catch (error) {
          context.died(error);
        }
      }, deps.reconcileEveryMs ?? 5000);
      timer.unref();
      return Promise.resolve({
        detail: () => `${watched.size} folder${watched.size === 1 ? '' : 's'} watched`,
        stop() {
          clearInterval(timer);
          for (const entry of watched.values()) entry.watcher.close();
          watched.clear();
        },
      });
    },
  };
}
