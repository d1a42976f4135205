import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FailedRecord, RunContext } from '../../../main/engine/store/batch-commit.js';
import { createExceptionRecorder } from '../../../main/engine/store/exception-recorder.js';
import { ExceptionsRepo } from '../../../main/engine/store/exceptions-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import { makeTempDir } from '../../support/temp-dir.js';

const quiet = { log: { warn: () => undefined } };

function context(flow: string): RunContext {
  return {
    runId: 'run_1',
    flowId: flow,
    sourceSystem: 'fhir',
    targetSystem: 'odoo',
    targetModel: 'x',
    mappingId: 'm',
    mappingVersion: 1,
  };
}

function failure(i: number): FailedRecord {
  const cause = i % 7;
  return {
    source: { type: 'Item', sourceId: `Item/${i}`, version: '1', updatedAt: null },
    sourceJson: '{}',
    sourceHash: `h${i}`,
    stage: 'map',
    key: null,
    payloadHash: null,
    payloadJson: null,
    error: {
      class: cause === 6 ? 'transient' : 'permanent',
      code: cause % 2 === 0 ? 'mapping.unmapped-code' : `rule.r${cause}`,
      message:
        cause % 2 === 0 ? `Value map "m${cause}" has no entry for code "C-${i}".` : `Rule ${cause} failed`,
    },
  };
}

describe('exceptions groups and counts', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('osc-exc-groups-');
  });
  afterEach(() => temp.cleanup());

  it('answer what one SQL aggregate over every row answers, per state and flow', () => {
    const store = openStore({ dataDir: temp.dir, ...quiet });
    try {
      const recorder = createExceptionRecorder(store.db);
      for (let i = 0; i < 300; i += 1) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
        recorder.failed(context(`flow_${i % 4}`), failure(i), at);
      }
      // A few in every state: resolved, ignored, dead (the others are open or retrying).
      store.db.exec(`UPDATE exceptions SET state = 'resolved' WHERE source_id LIKE 'Item/1%';
        UPDATE exceptions SET state = 'ignored' WHERE source_id LIKE 'Item/2_';
        UPDATE exceptions SET state = 'dead' WHERE source_id LIKE 'Item/3%' AND state = 'open';
        UPDATE exceptions SET signature = NULL WHERE source_id IN ('Item/4', 'Item/5');`);
      const repo = new ExceptionsRepo(store.db);
      const reference = store.db
        .prepare<[string, number], Record<string, unknown>>(
          `SELECT signature, count(*) AS count, count(DISTINCT flow_id) AS flows, min(created_at) AS oldest,
             max(created_at) AS newest FROM exceptions WHERE state = ?
           GROUP BY signature ORDER BY count DESC, signature LIMIT ?`,
        )
        .all('open', 4);
      const groups = repo.groups({ state: 'open' }, 4);
      expect(groups.map((g) => [g.count, g.flows, g.oldest, g.newest])).toEqual(
        reference.map((r) => [r.count, r.flows, r.oldest, r.newest]),
      );
      expect(groups.map((g) => g.signature).slice(0, 3)).toEqual(
        reference.map((r) => r.signature).slice(0, 3),
      );
      const counts = store.db
        .prepare<[], { flowId: string; open: number; dead: number }>(
          `SELECT flow_id AS flowId, sum(state IN ('open', 'retrying')) AS open, sum(state = 'dead') AS dead
           FROM exceptions WHERE state IN ('open', 'retrying', 'dead') GROUP BY flow_id ORDER BY flow_id`,
        )
        .all();
      expect(counts.some((c) => c.dead > 0)).toBe(true);
      expect(
        store.db.prepare("SELECT count(*) FROM exceptions WHERE state = 'retrying'").pluck().get(),
      ).toBeGreaterThan(0);
      expect(repo.counts()).toEqual(counts);
    } finally {
      store.close();
    }
  });
});
