import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';

describe('migration 002 (partner intake) through the real store', () => {
  it('creates STRICT tables and keeps an archived CSV checksum unique while rejected ones may repeat', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'osc-m002-'));
    const store = openStore({ dataDir });
    try {
      const tables = store.db
        .prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('inbound_events','webhook_deliveries','webhook_delivery_attempts','csv_files') ORDER BY name",
        )
        .all() as { name: string; sql: string }[];
      expect(tables.map((table) => table.name)).toEqual([
        'csv_files',
        'inbound_events',
        'webhook_deliveries',
        'webhook_delivery_attempts',
      ]);
      for (const table of tables) expect(table.sql).toMatch(/STRICT$/);
      const insert = store.db.prepare(
        `INSERT INTO csv_files (connection_id, sha256, file_name, bytes, status, rows, reason, moved_to, processed_at) VALUES ('c', 'h', 'f', 1, ?, 0, NULL, 'x', 't')`,
      );
      insert.run('rejected');
      insert.run('rejected');
      insert.run('archived');
      expect(() => insert.run('archived')).toThrow(/UNIQUE/);
      expect(() => insert.run('lost')).toThrow(/CHECK/);
      expect(() =>
        store.db
          .prepare(
            `INSERT INTO inbound_events (connection_id, source_name, channel, event_id, event_type, received_at, content_type, body_sha256) VALUES ('c','s','webhook','e','t',x'00','j','h')`,
          )
          .run(),
      ).toThrow(/cannot store BLOB/);
    } finally {
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
