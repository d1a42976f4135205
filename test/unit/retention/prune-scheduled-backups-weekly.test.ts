import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isoWeekOf, pruneScheduledBackups } from '../../../main/store/backup/prune-scheduled-backups.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('scheduled backups kept: N newest (daily) and M weekly', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let folder: string;
  beforeEach(() => {
    temp = makeTempDir('osc-weekly-');
    folder = join(temp.dir, 'backups');
    mkdirSync(folder);
  });
  afterEach(() => temp.cleanup());

  it('ISO weeks: Monday to Sunday, the year of the Thursday', () => {
    expect(isoWeekOf('2026-01-01T00-00-00.000Z')).toBe('2026-W01'); // a Thursday
    expect(isoWeekOf('2025-12-29T00-00-00.000Z')).toBe('2026-W01'); // its Monday
    expect(isoWeekOf('2027-01-03T00-00-00.000Z')).toBe('2026-W53'); // a Sunday
    expect(isoWeekOf('2026-02-09T00-00-00.000Z')).toBe('2026-W07');
    expect(isoWeekOf('nonsense')).toBeNull();
  });

  it('60 daily backups: keeps the 7 newest plus the newest of each of the 4 weeks before, removes the rest', () => {
    const names: string[] = [];
    for (let day = 0; day < 60; day += 1) {
      const stamp = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().replace(/:/g, '-');
      const name = `osc-${stamp}-scheduled.sqlite`;
      writeFileSync(join(folder, name), 'x');
      writeFileSync(join(folder, name.replace(/\.sqlite$/, '.audit-head.json')), '{}');
      names.push(name);
    }
    writeFileSync(join(folder, 'osc-2025-12-01T00-00-00.000Z-cli.sqlite'), 'x');
    const removed = pruneScheduledBackups(temp.dir, 7, 4);
    const left = readdirSync(folder)
      .filter((name) => name.endsWith('.sqlite'))
      .sort();
    // Jan 1 + 59 days = Mar 1 (a Sunday). Dailies: Feb 23 - Mar 1 (week 9). Weeklies: the newest of
    // weeks 9 (Mar 1, already a daily), 8 (Feb 22), 7 (Feb 15) and 6 (Feb 8).
    expect(left).toEqual([
      'osc-2025-12-01T00-00-00.000Z-cli.sqlite',
      'osc-2026-02-08T00-00-00.000Z-scheduled.sqlite',
      'osc-2026-02-15T00-00-00.000Z-scheduled.sqlite',
      'osc-2026-02-22T00-00-00.000Z-scheduled.sqlite',
      ...names.slice(-7),
    ]);
    expect(removed).toHaveLength(60 - 10);
    // Each removed backup's anchor went with it; kept ones keep theirs.
    expect(readdirSync(folder).filter((name) => name.endsWith('.audit-head.json'))).toHaveLength(10);
  });
});
