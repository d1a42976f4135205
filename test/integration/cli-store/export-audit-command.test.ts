import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exportAuditCommand } from '../../../main/cli/commands/export-audit.js';
import { createAuditExplorer } from '../../../main/api/audit-explorer.js';
import { openStore } from '../../../main/store/open-store.js';
import { quietLog, steppingClock, useTempDataDir } from '../store/temp-data-dir.js';
import { captureOutput } from './cli-output.js';

const temp = useTempDataDir();
const run = promisify(execFile);
const T0 = Date.UTC(2025, 0, 1);

/** 4,500 rows one millisecond apart (more than two export chunks), one of them a formula. */
function seededStore(): string {
  const store = openStore({ dataDir: temp.dataDir(), now: steppingClock(T0), log: quietLog });
  store.audit.appendMany(
    Array.from({ length: 4500 }, (_, i) => ({
      actor: 'admin',
      action: 'flows.update',
      target: i === 2500 ? '=HYPERLINK("http://evil","x")' : `flow_${i}`,
      outcome: 'ok' as const,
      detail: { n: i },
    })),
  );
  store.close();
  return temp.dataDir();
}

describe('osc export-audit', () => {
  it('writes the rows of [from, to) as the console export does, across chunks, header once', async () => {
    const dataDir = seededStore();
    const from = new Date(T0 + 100).toISOString();
    const to = new Date(T0 + 4300).toISOString();
    const file = join(temp.root(), 'audit.csv');
    const out = captureOutput();
    expect(await exportAuditCommand({ dataDir, from, to, out: file }, out.stream)).toBe(0);
    expect(out.text()).toBe(`wrote 4200 audit rows of ${from} .. ${to} to ${file}\n`);
    const lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('seq,at,operator,action,object,target,outcome,detail,hash');
    const seqs = lines.slice(1, -1).map((line) => Number(line.split(',')[0]));
    // One clock tick goes to opening the store: row n is at T0 + n ms, so [T0+100, T0+4300) is #100..#4299.
    expect(seqs).toEqual(Array.from({ length: 4200 }, (_, i) => 100 + i));
    expect(lines.filter((line) => line.startsWith('seq,'))).toHaveLength(1);
    expect(lines[2402]).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
    // Byte for byte what the console's chunks give.
    const store = openStore({ dataDir, log: quietLog });
    try {
      const explorer = createAuditExplorer(store.db);
      let csv = '';
      let afterSeq: number | undefined;
      for (;;) {
        const chunk = explorer.csvChunk({ from, to, afterSeq });
        csv += chunk.csv;
        if (chunk.nextAfterSeq === null) break;
        afterSeq = chunk.nextAfterSeq;
      }
      expect(readFileSync(file, 'utf8')).toBe(csv);
    } finally {
      store.close();
    }
  });

  it('refuses a missing, malformed or reversed period with exit 2', async () => {
    const dataDir = seededStore();
    for (const [from, to, message] of [
      [undefined, '2025-01-02T00:00:00Z', 'needs --from and --to'],
      ['2025-13-01T00:00:00Z', '2025-01-02T00:00:00Z', '--from must be an ISO date'],
      ['2025-01-01', '2025-01-02T00:00:00Z', '--from must be an ISO date'],
      ['2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z', 'the period must end'],
    ] as const) {
      const out = captureOutput();
      expect(await exportAuditCommand({ dataDir, from, to }, out.stream)).toBe(2);
      expect(out.text()).toContain(message);
    }
  });

  it('runs as a command and writes CSV to standard output', async () => {
    const dataDir = seededStore();
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'main/cli/osc.ts',
        'export-audit',
        '--from',
        new Date(T0).toISOString(),
        '--to',
        new Date(T0 + 4).toISOString(),
        '--data-dir',
        dataDir,
      ],
      { timeout: 30_000 },
    );
    expect(stdout.split('\r\n').map((line) => line.split(',')[0])).toEqual(['seq', '1', '2', '3', '']);
  });
});
