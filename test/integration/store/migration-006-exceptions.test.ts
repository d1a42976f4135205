import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';
import {
  REFERENCE_CODES,
  CONFIGURATION_CODES,
  exceptionClassOf,
} from '../../../main/engine/store/exception-class.js';
import { ExceptionsRepo } from '../../../main/engine/store/exceptions-repo.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';

const quiet = { log: { warn: () => undefined } };
const V5 = MIGRATIONS.slice(0, 5);

interface Failure {
  run: string;
  flow: string;
  source: string;
  klass: string;
  code: string;
  message: string;
  at: string;
}

function insertFailure(store: Store, f: Failure): void {
  store.db
    .prepare(
      `INSERT INTO record_failures (run_id, flow_id, stage, source_type, source_id, source_version, target_key,
         error_class, error_code, error_message, source_payload, mapped_payload, at)
       VALUES (?, ?, 'map', 'Item', ?, 'v-' || ?, NULL, ?, ?, ?, '{"id":"' || ? || '"}', NULL, ?)`,
    )
    .run(f.run, f.flow, f.source, f.run, f.klass, f.code, f.message, f.source, f.at);
}

describe('migration 006 (exceptions)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('osc-mig6-');
  });
  afterEach(() => temp.cleanup());

  it('a fresh store has the exception tables, keeps the original record and never deletes an unsettled exception', () => {
    const store = openStore({ dataDir: temp.dir, ...quiet });
    try {
      const tables = store.db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name);
      expect(tables).toEqual(expect.arrayContaining(['exceptions', 'exception_attempts', 'exception_notes']));
      const insert = (id: string, source: string, state: string) =>
        store.db
          .prepare(
            `INSERT INTO exceptions (id, flow_id, source_type, source_id, source_version, source_payload,
               latest_source_version, stage, class, error_code, signature, error_message, state, created_at,
               updated_at, last_failed_at, last_run_id)
             VALUES (?, 'f', 'Item', ?, '1', '{}', '1', 'load', 'data', 'c', 'c||', 'm', ?, 't', 't', 't', 'r')`,
          )
          .run(id, source, state);
      insert('exc_aaaaaaaaaa', 'Item/1', 'open');
      insert('exc_bbbbbbbbbb', 'Item/2', 'dead');
      insert('exc_cccccccccc', 'Item/3', 'resolved');
      // One exception per flow and source record.
      expect(() => insert('exc_dddddddddd', 'Item/1', 'open')).toThrow(/UNIQUE/);
      expect(() => insert('exc_eeeeeeeeee', 'Item/4', 'bogus')).toThrow(/CHECK/);
      expect(() =>
        store.db
          .prepare("UPDATE exceptions SET source_payload = '{\"x\":1}' WHERE id = 'exc_aaaaaaaaaa'")
          .run(),
      ).toThrow(/original record never changes/);
      expect(() => store.db.prepare('DELETE FROM exceptions').run()).toThrow(/never pruned/);
      expect(() => store.db.prepare("DELETE FROM exceptions WHERE state = 'dead'").run()).toThrow(
        /never pruned/,
      );
      // A settled one may go (a future retention), taking its attempts and notes with it.
      store.db.prepare("DELETE FROM exceptions WHERE state = 'resolved'").run();
      expect(store.db.prepare('SELECT count(*) AS n FROM exceptions').get()).toEqual({ n: 2 });
      const plan = store.db
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM exceptions WHERE state = 'open' ORDER BY created_at DESC")
        .all() as { detail: string }[];
      expect(plan.map((row) => row.detail).join(' ')).toMatch(/exceptions_by_state/);
    } finally {
      store.close();
    }
  });

  it('upgrading from 005 turns the newest record_failures row per flow and record into one exception with every attempt', () => {
    const v5 = openStore({ dataDir: temp.dir, migrations: V5, ...quiet });
    const failures: Failure[] = [
      {
        run: 'run_1',
        flow: 'flow_a',
        source: 'Item/1',
        klass: 'permanent',
        code: 'mapping.unmapped-code',
        message: 'Value map "supplies" has no entry for code "SUP-1042".',
        at: '2026-01-01T00:00:00.000Z',
      },
      {
        run: 'run_2',
        flow: 'flow_a',
        source: 'Item/1',
        klass: 'permanent',
        code: 'mapping.unmapped-code',
        message: 'Value map "supplies" has no entry for code "SUP-2210".',
        at: '2026-01-02T00:00:00.000Z',
      },
      {
        run: 'run_1',
        flow: 'flow_a',
        source: 'Item/2',
        klass: 'authentication',
        code: 'odoo.AccessError',
        message: 'You are not allowed to create Contact\nTraceback (most recent call last):\n  File "x.py"',
        at: '2026-01-01T00:00:00.000Z',
      },
      {
        run: 'run_1',
        flow: 'flow_b',
        source: 'Item/1',
        klass: 'transient',
        code: 'net.timeout',
        message: 'Odoo did not answer',
        at: '2026-01-01T00:00:00.000Z',
      },
      {
        run: 'run_1',
        flow: 'flow_b',
        source: 'Item/9',
        klass: 'permanent',
        code: 'odoo.unknown-field',
        message: "Odoo has no field 'x'",
        at: '2026-01-01T00:00:00.000Z',
      },
      {
        run: 'run_1',
        flow: 'flow_b',
        source: 'Item/8',
        klass: 'permanent',
        code: 'rule.price',
        message: 'Price 120.50 is outside the policy',
        at: '2026-01-01T00:00:00.000Z',
      },
      {
        run: 'run_1',
        flow: 'flow_b',
        source: 'Item/7',
        klass: 'conflict',
        code: 'odoo.posted',
        message: 'posted',
        at: '2026-01-01T00:00:00.000Z',
      },
      {
        run: 'run_1',
        flow: 'flow_b',
        source: 'Item/6',
        klass: 'configuration',
        code: 'x',
        message: 'cfg',
        at: '2026-01-01T00:00:00.000Z',
      },
    ];
    // Every code the engine classes specially, so the SQL table of the backfill is checked whole.
    for (const code of [...REFERENCE_CODES, ...CONFIGURATION_CODES]) {
      failures.push({
        run: 'run_1',
        flow: 'flow_c',
        source: code,
        klass: 'permanent',
        code,
        message: 'm',
        at: '2026-01-01T00:00:00.000Z',
      });
    }
    for (const f of failures) insertFailure(v5, f);
    // Item/8 of flow_b went through in a later run: its exception arrives resolved by that run.
    v5.db
      .prepare(
        `INSERT INTO lineage (at, run_id, flow_id, source_system, source_type, source_id, source_version, source_hash,
           mapping_id, mapping_version, target_system, target_model, target_key, target_id, payload_hash, outcome)
         VALUES ('2026-01-03T00:00:00.000Z', 'run_9', 'flow_b', 's', 'Item', 'Item/8', '2', 'h', 'm', 1, 'odoo', 'x', 'k', '5', 'p', 'created')`,
      )
      .run();
    v5.close();

    const store = openStore({ dataDir: temp.dir, ...quiet });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(6);
      // record_failures stay as each run's history.
      expect(store.db.prepare('SELECT count(*) AS n FROM record_failures').get()).toEqual({
        n: failures.length,
      });
      const repo = new ExceptionsRepo(store.db);
      expect(repo.fillMissingSignatures()).toBe(15);
      expect(repo.fillMissingSignatures()).toBe(0);
      const all = repo.list({}, undefined, 100).items;
      expect(all).toHaveLength(15);
      const item1 = all.find((e) => e.flowId === 'flow_a' && e.sourceId === 'Item/1');
      expect(item1).toMatchObject({
        state: 'open',
        attempts: 2,
        lastRunId: 'run_2',
        class: 'reference',
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      expect(item1?.signature).toBe('mapping.unmapped-code|supplies|a-9999');
      const detail = repo.get(item1?.id ?? '');
      expect(detail.errorMessage).toContain('SUP-2210');
      expect(detail.sourcePayload).toEqual({ id: 'Item/1' });
      expect(detail.attemptHistory.map((a) => [a.runId, a.outcome])).toEqual([
        ['run_1', 'failed'],
        ['run_2', 'failed'],
      ]);
      const denied = all.find((e) => e.sourceId === 'Item/2');
      expect(denied?.class).toBe('authorization');
      expect(denied?.errorMessage).toBe('You are not allowed to create Contact');
      const through = all.find((e) => e.sourceId === 'Item/8');
      expect(through).toMatchObject({
        state: 'resolved',
        resolvedByRun: 'run_9',
        resolution: 'Resolved by run run_9: the record went through.',
      });
      // The SQL class table of the backfill agrees with the engine's.
      for (const f of failures) {
        const row = all.find((e) => e.flowId === f.flow && e.sourceId === f.source);
        expect(row?.class, f.code).toBe(exceptionClassOf(f.klass, f.code));
      }
    } finally {
      store.close();
    }
  });
});
