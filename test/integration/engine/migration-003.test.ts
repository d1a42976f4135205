import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('migration 003 (engine)', () => {
  const temp = makeTempDir('osc-mig3-');
  afterEach(() => undefined);

  it('creates the engine tables on top of 001–002, with lineage append-only', () => {
    const store = openStore({
      dataDir: temp.dir,
      migrations: MIGRATIONS.slice(0, 2),
      log: { warn: () => undefined },
    });
    store.close();
    const migrated = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    try {
      const tables = migrated.db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => row.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'mappings',
          'mapping_versions',
          'flows',
          'runs',
          'target_state',
          'lineage',
          'record_failures',
          'engine_audit_outbox',
        ]),
      );
      migrated.db
        .prepare(
          `INSERT INTO lineage (at, run_id, flow_id, source_system, source_type, source_id, source_version, source_hash,
            mapping_id, mapping_version, target_system, target_model, target_key, target_id, payload_hash, outcome)
           VALUES ('t', 'r', 'f', 's', 'T', 'id', '1', 'h', 'm', 1, 'odoo', 'res.partner', 'k', '1', 'p', 'created')`,
        )
        .run();
      expect(() => migrated.db.prepare("UPDATE lineage SET target_id = '2'").run()).toThrow(/append-only/);
      expect(() =>
        migrated.db
          .prepare(
            "INSERT INTO runs (id, flow_id, trigger, requested_by, status, mapping_id, mapping_version, queued_at) VALUES ('r', 'f', 'bogus', 'x', 'queued', 'm', 1, 't')",
          )
          .run(),
      ).toThrow(/CHECK/);
      // The lineage lookups both ways use their indexes.
      const plan = migrated.db
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM lineage WHERE target_model = 'x' AND target_key = 'k'")
        .all() as { detail: string }[];
      expect(plan.map((row) => row.detail).join(' ')).toMatch(/lineage_by_target_key/);
    } finally {
      migrated.close();
      temp.cleanup();
    }
  });
});
