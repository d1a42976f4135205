import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { csvDropService } from '../../../main/app/services/csv-drop-service.js';
import type { ServiceHandle } from '../../../main/app/services/service-supervisor.js';
import type { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import type { ConnectionsRepo } from '../../../main/repositories/connections-repo.js';
import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { makeTempDir } from '../../support/temp-dir.js';

// The service reads only `list()` of both tables; the folder, the watcher and its timers are real.
const flowsOf = (flows: () => Partial<Flow>[]) => ({ list: () => flows() as Flow[] }) as unknown as FlowsRepo;
const connectionsOf = (list: Partial<Connection>[]) =>
  ({ list: () => list as Connection[] }) as unknown as ConnectionsRepo;
const noContext = { died: () => undefined, report: () => undefined };

describe('the CSV drop watcher service', () => {
  let handle: ServiceHandle | null = null;
  let temp: ReturnType<typeof makeTempDir> | null = null;
  afterEach(async () => {
    await handle?.stop();
    temp?.cleanup();
  });

  it('wakes the enabled scheduled flows of a folder when a file lands, never a manual or disabled one', async () => {
    temp = makeTempDir('osc-csv-service-');
    const folder = join(temp.dir, 'incoming');
    mkdirSync(folder);
    const connection = {
      id: 'conn_dropaaaaaaaa',
      kind: 'csv-drop',
      settings: { kind: 'csv-drop', folder, archiveFolder: `${folder}/a`, rejectedFolder: `${folder}/r` },
    } as Partial<Connection>;
    let flows: Partial<Flow>[] = [
      {
        id: 'flow_cronaaaaaaa',
        enabled: true,
        sourceConnectionId: connection.id,
        schedule: { kind: 'cron', expression: '*/2 * * * *' },
      },
      {
        id: 'flow_manualaaaaa',
        enabled: true,
        sourceConnectionId: connection.id,
        schedule: { kind: 'manual' },
      },
      {
        id: 'flow_offaaaaaaaa',
        enabled: false,
        sourceConnectionId: connection.id,
        schedule: { kind: 'cron', expression: '* * * * *' },
      },
    ];
    const woken: string[] = [];
    handle = await csvDropService({
      connections: connectionsOf([connection]),
      flows: flowsOf(() => flows),
      wake: (flowId) => {
        woken.push(flowId);
        return Promise.resolve();
      },
      reconcileEveryMs: 50,
      scanIntervalMs: 100,
    }).start(noContext);
    expect(handle.detail?.()).toBe('1 folder watched');
    await delay(300);
    expect(woken).toEqual([]);
    writeFileSync(join(folder, 'invoice-1.csv'), 'a;b\r\n1;2\r\n');
    const deadline = Date.now() + 5000;
    while (woken.length === 0 && Date.now() < deadline) await delay(20);
    await delay(400);
    expect(new Set(woken)).toEqual(new Set(['flow_cronaaaaaaa']));

    // The flow set to manual: the folder is no longer watched.
    flows = flows.map((flow) => ({ ...flow, schedule: { kind: 'manual' } }));
    await delay(200);
    expect(handle.detail?.()).toBe('0 folders watched');
  });
});
