import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvDropSettings } from '../../../shared/domain/connection.js';
import { watchCsvDrop, type CsvDropWatcher } from '../../../main/connectors/csv/csv-drop-watcher.js';
import { testCsvDrop } from '../../../main/connectors/csv/csv-test-connection.js';

describe('CSV drop watcher and test connection', () => {
  let dir: string;
  let watcher: CsvDropWatcher | null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'osc-csvwatch-'));
    watcher = null;
  });
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const waitFor = async (predicate: () => boolean, timeoutMs: number): Promise<void> => {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('notices a new file through fs.watch, debounced into one signal', async () => {
    let changes = 0;
    watcher = watchCsvDrop({
      folder: dir,
      onChange: () => (changes += 1),
      debounceMs: 50,
      scanIntervalMs: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let index = 0; index < 5; index += 1) writeFileSync(join(dir, `f${index}.csv`), 'x');
    await waitFor(() => changes > 0, 3000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(changes).toBe(1);
  });

  it('falls back to the periodic scan when the watcher cannot be used', async () => {
    let changes = 0;
    const missing = join(dir, 'later');
    watcher = watchCsvDrop({
      folder: missing,
      onChange: () => (changes += 1),
      debounceMs: 10,
      scanIntervalMs: 50,
    });
    mkdirSync(missing); // created after the watcher failed to attach
    writeFileSync(join(missing, 'a.csv'), 'x');
    await waitFor(() => changes > 0, 3000);
    expect(changes).toBeGreaterThanOrEqual(1);
  });

  it('test connection: ready folders pass, a missing or read-only folder says so', async () => {
    const settings: CsvDropSettings = {
      kind: 'csv-drop',
      folder: join(dir, 'drop'),
      archiveFolder: join(dir, 'archive'),
      rejectedFolder: join(dir, 'rejected'),
      encoding: 'windows-1252',
      delimiter: ';',
      hasHeader: true,
    };
    for (const folder of [settings.folder, settings.archiveFolder]) mkdirSync(folder);
    const missing = await testCsvDrop(settings);
    expect(missing.ok).toBe(false);
    expect(missing.summary).toBe(`${settings.rejectedFolder} does not exist or is not a folder.`);
    mkdirSync(settings.rejectedFolder);
    writeFileSync(join(settings.folder, 'waiting.csv'), 'x');
    const ready = await testCsvDrop(settings);
    expect(ready.ok).toBe(true);
    expect(ready.facts).toEqual({ filesWaiting: '1', encoding: 'windows-1252' });
    if (process.getuid?.() !== 0) {
      chmodSync(settings.archiveFolder, 0o500);
      const readOnly = await testCsvDrop(settings);
      chmodSync(settings.archiveFolder, 0o700);
      expect(readOnly.checks.find((check) => check.id === 'archive:writable')).toMatchObject({
        status: 'failed',
      });
    }
  });
});
