import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/contract/events.js';
import {
  ConnectorError,
  type ExtractRequest,
  type SourcePage,
  type SourceRecord,
  type Target,
  type TargetOutcome,
  type WriteRequest,
} from '../../../main/connectors/types.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { ConnectionCredentialsRepo } from '../../../main/repositories/connection-credentials-repo.js';
import { ConnectionsRepo } from '../../../main/repositories/connections-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { seedItemsFlow } from './items-flow-seed.js';

/**
 * A peer that refuses the stored credentials (an expired Odoo 19 API key answers 401) stops the run:
 * no failure per record, no retries of the chunk, the cursor where it was, and the connection held so
 * scheduled runs do not fail again on every tick until the secret is replaced or a test passes.
 */

const record = (id: string): SourceRecord => ({
  type: 'Item',
  sourceId: `Item/${id}`,
  version: '1',
  updatedAt: null,
  data: { id, value: Number(id) },
});

class OnePageSource {
  readonly system = 'script';
  failWith: ConnectorError | null = null;
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    await Promise.resolve();
    if (this.failWith !== null) throw this.failWith;
    if (request.cursor === null) yield { records: [record('1'), record('2')], cursor: 'page-1' };
  }
}

class KeyTarget implements Target {
  readonly system = 'script';
  calls = 0;
  refusing: 'outcomes' | 'throws' | 'first-record' | null = 'outcomes';
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    this.calls += 1;
    if (this.refusing === 'throws') {
      return Promise.reject(
        new ConnectorError('authentication', 'odoo.api-key-rejected', 'Odoo refused the key'),
      );
    }
    return Promise.resolve(
      request.records.map((r): TargetOutcome =>
        this.refusing === 'outcomes' || (this.refusing === 'first-record' && r.key === 'item_1')
          ? {
              key: r.key,
              ok: false,
              error: {
                class: 'authentication',
                code: 'odoo.api-key-rejected',
                message: 'Odoo refused the key',
              },
            }
          : { key: r.key, ok: true, targetId: `odoo-${r.key}`, created: true },
      ),
    );
  }
}

describe('credentials refused during a run', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: OnePageSource;
  let target: KeyTarget;
  let events: LiveEvent[];
  let core: EngineCore;

  beforeEach(() => {
    temp = makeTempDir('osc-refused-');
    flowId = seedItemsFlow(temp.dir);
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    source = new OnePageSource();
    target = new KeyTarget();
    events = [];
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1, 1, 1],
    });
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  async function run(trigger: 'manual' | 'schedule' = 'manual') {
    const queued = core.enqueue({ flowId, trigger, requestedBy: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
    return new RunsRepo(store.db).get(queued.id)!;
  }
  const flow = () => new FlowsRepo(store.db).get(flowId)!;
  const connection = (id: string) => new ConnectionsRepo(store.db).get(id)!;

  it('stops at the first refused write: one call, no record failures, the cursor unmoved, the target held', async () => {
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(
      /^odoo\.api-key-rejected: Odoo refused the key .*wait until its secret is replaced/,
    );
    expect(target.calls).toBe(1); // not retried like an outage
    expect(failed.counts.failed).toBe(0);
    expect(new RunsRepo(store.db).failures(failed.id, 0, 10)).toEqual([]);
    expect(flow().cursor).toBeNull();

    const held = connection(flow().targetConnectionId);
    expect(held.credentials.refused).toMatchObject({
      code: 'odoo.api-key-rejected',
      message: 'Odoo refused the key',
    });
    expect(connection(flow().sourceConnectionId).credentials.refused).toBeNull();
    expect(events).toContainEqual({ type: 'connections.changed', id: held.id, change: 'credentials' });
    const audit = store.db
      .prepare<[], { action: string; target: string; outcome: string; detail: string }>(
        "SELECT action, target, outcome, detail FROM audit_log WHERE action = 'connection.credentials-refused'",
      )
      .all();
    expect(audit.map((row) => ({ ...row, detail: JSON.parse(row.detail) as unknown }))).toEqual([
      {
        action: 'connection.credentials-refused',
        target: failed.id,
        outcome: 'error',
        detail: { connectionId: held.id, role: 'target', code: 'odoo.api-key-rejected' },
      },
    ]);
  });

  it('holds scheduled runs while refused, lets a person try, and goes again once the refusal clears', async () => {
    target.refusing = 'throws';
    expect((await run()).status).toBe('failed');
    expect(() => core.enqueue({ flowId, trigger: 'schedule', requestedBy: 'engine' })).toThrow(
      /a connection of this flow refused its login or rights \(Odoo refused the key\)/,
    );
    expect(core.tryEnqueue({ flowId, trigger: 'realtime', requestedBy: 'engine' })).toBeNull();
    expect(target.calls).toBe(1);

    target.refusing = null;
    expect((await run('manual')).status).toBe('succeeded'); // a person's run still goes
    expect(() => core.enqueue({ flowId, trigger: 'schedule', requestedBy: 'engine' })).toThrow(/refused/);

    new ConnectionCredentialsRepo(store.db).forget(flow().targetConnectionId); // a new secret
    expect((await run('schedule')).status).toBe('succeeded');
  });

  it('holds the source connection when the source refuses while extracting', async () => {
    source.failWith = new ConnectorError(
      'authentication',
      'fhir.unauthorized',
      'The FHIR server refused the token',
    );
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(target.calls).toBe(0);
    expect(connection(flow().sourceConnectionId).credentials.refused?.code).toBe('fhir.unauthorized');
    expect(connection(flow().targetConnectionId).credentials.refused).toBeNull();
  });

  it('keeps a refusal of only some records (a record rule) a failure of those records, without a hold', async () => {
    target.refusing = 'first-record';
    const run_ = await run();
    expect(run_.status).toBe('completed-with-failures');
    expect(run_.counts).toMatchObject({ written: 1, failed: 1 });
    expect(new RunsRepo(store.db).failures(run_.id, 0, 10).map((f) => [f.sourceId, f.errorClass])).toEqual([
      ['Item/1', 'authentication'],
    ]);
    expect(connection(flow().targetConnectionId).credentials.refused).toBeNull();
  });
});
