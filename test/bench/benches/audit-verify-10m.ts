import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Benchmark, Measure } from '../bench-types.js';
import { openStore } from '../../../main/store/open-store.js';
import { verifyAuditAt } from '../../../main/store/store-tasks.js';
import { auditRowHash } from '../../../main/store/audit/audit-hash.js';
import { canonicalJson } from '../../../main/store/audit/canonical-json.js';
import { anchorPathFor, writeAnchorAtomically } from '../../../main/store/audit/audit-head-anchor.js';
import { readChainHead } from '../../../main/store/audit/audit-chain-head.js';

/** OSC_BENCH_VERIFY_ROWS scales the log down for a quick look; the figure is 10 million. */
const ROWS = Number(process.env['OSC_BENCH_VERIFY_ROWS'] ?? 10_000_000);
const GENERATE_TXN = 200_000;

/**
 * Appends ROWS chained rows to a fresh store's audit log on a connection of its own, with
 * synchronous=OFF and large transactions (generation is not what is measured), hashing each row
 * exactly as the log does, then writes the head anchor. The rows look like the engine's.
 */
function generate(dataDir: string): void {
  const db = new Database(join(dataDir, 'osc.sqlite'));
  try {
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -500000');
    const insert = db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let head = readChainHead(db);
    const day = Date.UTC(2026, 0, 1);
    const appendRange = db.transaction((count: number) => {
      for (let n = 0; n < count; n += 1) {
        const seq = head.seq + 1;
        const at = new Date(day + seq * 10).toISOString();
        const actor = seq % 10 === 0 ? 'admin' : 'engine';
        const action = seq % 10 === 0 ? 'ui.page.viewed' : 'flow.batch.committed';
        const target = `supply-consumption/run-${Math.floor(seq / 500)}`;
        const outcome = seq % 97 === 0 ? 'error' : 'ok';
        const detail = canonicalJson({
          flow: 'supply-consumption',
          loaded: 500,
          lineage: { from: seq * 500, to: seq * 500 + 499, sha256: head.hash },
        });
        const hash = auditRowHash(head.hash, { seq, at, actor, action, target, outcome, detail });
        insert.run(seq, at, actor, action, target, outcome, detail, head.hash, hash);
        head = { seq, hash };
      }
    });
    while (head.seq < ROWS) appendRange(Math.min(GENERATE_TXN, ROWS - head.seq));
    db.pragma('wal_checkpoint(TRUNCATE)');
    writeAnchorAtomically(anchorPathFor(dataDir), head);
  } finally {
    db.close();
  }
}

/**
 * Rows per second of `verifyAuditAt` — what the store worker and `osc verify-audit` run: a
 * quick_check, then the chain walk with progress — on a generated log of ROWS rows. The baseline is
 * the same ordered walk over the same rows without any checking (ratio = value / baseline).
 */
export const auditVerify10mBench: Benchmark = {
  name: 'audit-verify-10m',
  description: `verifyAuditAt over a generated ${ROWS}-row audit log (rows/s, with progress)`,
  run(): Promise<readonly Measure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'osc-bench-verify10m-'));
    const dataDir = join(dir, 'data');
    try {
      openStore({ dataDir, log: { warn: () => undefined } }).close(); // the product's schema
      const generatedAt = performance.now();
      generate(dataDir);
      const generateSeconds = (performance.now() - generatedAt) / 1000;
      const bytes = statSync(join(dataDir, 'osc.sqlite')).size;
      let progressEvents = 0;
      let lastDone = 0;
      const started = performance.now();
      const result = verifyAuditAt(dataDir, {
        onProgress: ({ done, total }) => {
          if (done < lastDone || total < done) throw new Error('progress went backwards or past its total');
          progressEvents += 1;
          lastDone = done;
        },
      });
      const seconds = (performance.now() - started) / 1000;
      if (!result.ok || result.rows !== ROWS) {
        throw new Error(`generated log does not verify: ${JSON.stringify(result)}`);
      }
      const db = new Database(join(dataDir, 'osc.sqlite'), { readonly: true });
      let walkSeconds: number;
      try {
        const walkStarted = performance.now();
        let seen = 0;
        const walk = db
          .prepare(
            'SELECT seq, at, actor, action, target, outcome, detail, prev_hash, hash FROM audit_log ORDER BY seq',
          )
          .raw();
        for (const _row of walk.iterate()) seen += 1;
        walkSeconds = (performance.now() - walkStarted) / 1000;
        if (seen !== ROWS) throw new Error('walk and verify saw different row counts');
      } finally {
        db.close();
      }
      const value = ROWS / seconds;
      const baseline = ROWS / walkSeconds;
      return Promise.resolve([
        {
          bench: 'audit-verify-10m',
          value,
          unit: 'rows/s',
          baseline,
          ratio: value / baseline,
          better: 'higher',
          note:
            `${ROWS} rows (${(bytes / 2 ** 30).toFixed(2)} GiB) verified in ${seconds.toFixed(1)} s incl. ` +
            `quick_check, ${progressEvents} progress events, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB; ` +
            `plain walk ${walkSeconds.toFixed(1)} s; generated in ${generateSeconds.toFixed(0)} s (not counted)`,
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
