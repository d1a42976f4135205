import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FailedRecord, RunContext } from '../../../main/engine/store/batch-commit.js';
import { createExceptionRecorder } from '../../../main/engine/store/exception-recorder.js';
import { ExceptionsRepo } from '../../../main/engine/store/exceptions-repo.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';

const quiet = { log: { warn: () => undefined } };
const AT = '2026-01-01T00:00:00.000Z';

function context(run: string): RunContext {
  return {
    runId: run,
    flowId: 'flow_a',
    sourceSystem: 'fhir',
    targetSystem: 'odoo',
    targetModel: 'account.move',
    mappingId: 'm',
    mappingVersion: 1,
  };
}

function failure(sourceId: string, message: string): FailedRecord {
  return {
    source: { type: 'ChargeItem', sourceId, version: '1', updatedAt: null },
    sourceJson: '{}',
    sourceHash: `h-${sourceId}`,
    stage: 'map',
    key: null,
    payloadHash: null,
    payloadJson: null,
    error: { class: 'permanent', code: 'mapping.unmapped-code', message },
  };
}

const RECORDS: ReadonlyArray<[string, string]> = [
  ['ChargeItem/12', 'Value map "supplies" has no entry for code "SUP-4242".'],
  ['ChargeItem/123', 'Price 12.00 is outside the policy'],
  ['ChargeItem/9', "partner_id: No matching record found for name 'Zoë Ärzte'"],
  ['Patient/7', 'A 100% discount is not allowed (rule_a)'],
  ['Encounter/x"y', 'Quoted "id" in the source'],
];

/** What the inbox's text filter meant before the index: LIKE over the id and the message. */
function likeIds(store: Store, text: string): string[] {
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return store.db
    .prepare<[string, string], { source_id: string }>(
      `SELECT source_id FROM exceptions WHERE source_id LIKE ? ESCAPE '\\' OR error_message LIKE ? ESCAPE '\\'
       ORDER BY source_id`,
    )
    .all(like, like)
    .map((row) => row.source_id);
}

function searched(repo: ExceptionsRepo, text: string): string[] {
  return repo
    .list({ text }, undefined, 100)
    .items.map((item) => item.sourceId)
    .sort();
}

function indexHolds(store: Store): void {
  // FTS5 compares its index with the content table and raises when they differ.
  store.db.exec("INSERT INTO exceptions_text (exceptions_text, rank) VALUES ('integrity-check', 1)");
}

describe('exceptions text search (migration 009)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('osc-exc-text-');
  });
  afterEach(() => temp.cleanup());

  it('finds exactly what the LIKE over source id and message found, case-insensitively, for any length', () => {
    const store = openStore({ dataDir: temp.dir, ...quiet });
    try {
      const recorder = createExceptionRecorder(store.db);
      for (const [id, message] of RECORDS) recorder.failed(context('run_1'), failure(id, message), AT);
      const repo = new ExceptionsRepo(store.db);
      const queries = [
        'chargeitem/12',
        'SUP-4242',
        'sup-42',
        'price 12',
        'policy',
        '100%',
        '%',
        '_',
        'rule_a',
        'x"y',
        '"id"',
        'zoë',
        'Ärzte',
        'äRZTE',
        'it',
        '9',
        'no such text',
      ];
      for (const text of queries) expect(searched(repo, text), text).toEqual(likeIds(store, text));
      expect(searched(repo, 'chargeitem/12')).toEqual(['ChargeItem/12', 'ChargeItem/123']);
      expect(searched(repo, 'sup-4242')).toEqual(['ChargeItem/12']);
      indexHolds(store);
    } finally {
      store.close();
    }
  });

  it('follows a new message, a re-signed row and a deleted exception; settling leaves it untouched', () => {
    const store = openStore({ dataDir: temp.dir, ...quiet });
    try {
      const recorder = createExceptionRecorder(store.db);
      recorder.failed(context('run_1'), failure('ChargeItem/1', 'first complaint'), AT);
      recorder.failed(context('run_1'), failure('ChargeItem/2', 'other complaint'), AT);
      const repo = new ExceptionsRepo(store.db);
      recorder.failed(context('run_2'), failure('ChargeItem/1', 'second complaint'), AT);
      expect(searched(repo, 'first')).toEqual([]);
      expect(searched(repo, 'second')).toEqual(['ChargeItem/1']);
      recorder.succeeded(
        context('run_3'),
        [
          {
            source: { type: 'ChargeItem', sourceId: 'ChargeItem/2', version: '1', updatedAt: null },
            sourceHash: 'h',
            key: 'k',
            payloadHash: 'p',
            targetId: '1',
            created: true,
          },
        ],
        AT,
      );
      expect(searched(repo, 'other')).toEqual(['ChargeItem/2']);
      store.db.prepare("DELETE FROM exceptions WHERE source_id = 'ChargeItem/2'").run();
      expect(searched(repo, 'other')).toEqual([]);
      store.db
        .prepare("UPDATE exceptions SET error_message = 'signed anew' WHERE source_id = 'ChargeItem/1'")
        .run();
      expect(searched(repo, 'anew')).toEqual(['ChargeItem/1']);
      expect(searched(repo, 'second')).toEqual([]);
      indexHolds(store);
    } finally {
      store.close();
    }
  });

  it('a backup (VACUUM INTO) keeps the index in step with its rows, after deletes left gaps', async () => {
    const store = openStore({ dataDir: temp.dir, ...quiet });
    let backupPath: string;
    try {
      const recorder = createExceptionRecorder(store.db);
      for (let i = 0; i < 200; i += 1) {
        recorder.failed(context('run_1'), failure(`Item/${i}`, `complaint number ${i}`), AT);
      }
      store.db.exec(
        "UPDATE exceptions SET state = 'resolved' WHERE CAST(substr(source_id, 6) AS INTEGER) % 3 = 0",
      );
      store.db.exec("DELETE FROM exceptions WHERE state = 'resolved'");
      backupPath = (await store.backup('test')).path;
    } finally {
      store.close();
    }
    const copy = new Database(backupPath);
    try {
      const repo = new ExceptionsRepo(copy);
      expect(
        repo
          .list({ text: 'number 17' }, undefined, 100)
          .items.map((e) => e.sourceId)
          .sort(),
      ).toEqual([
        'Item/17',
        'Item/170',
        'Item/172',
        'Item/173',
        'Item/175',
        'Item/176',
        'Item/178',
        'Item/179',
      ]);
      copy.exec("INSERT INTO exceptions_text (exceptions_text, rank) VALUES ('integrity-check', 1)");
    } finally {
      copy.close();
    }
  });

  it('indexes the exceptions a store already had when it upgrades', () => {
    const v8 = openStore({ dataDir: temp.dir, migrations: MIGRATIONS.slice(0, 8), ...quiet });
    try {
      const recorder = createExceptionRecorder(v8.db);
      for (const [id, message] of RECORDS) recorder.failed(context('run_1'), failure(id, message), AT);
    } finally {
      v8.close();
    }
    const store = openStore({ dataDir: temp.dir, ...quiet });
    try {
      expect(searched(new ExceptionsRepo(store.db), 'outside the POLICY')).toEqual(['ChargeItem/123']);
      indexHolds(store);
    } finally {
      store.close();
    }
  });
});
