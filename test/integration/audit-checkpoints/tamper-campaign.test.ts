import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowHash } from '../../../main/store/audit/audit-hash.js';
import { parseCheckpointFile } from '../../../main/store/audit/checkpoints/checkpoint-file.js';
import { readStoreId } from '../../../main/store/audit/checkpoints/store-id.js';
import {
  verifyAgainstCheckpoint,
  type CheckpointVerification,
} from '../../../main/store/audit/checkpoints/verify-against-checkpoint.js';
import { openStore } from '../../../main/store/open-store.js';
import { openStoreReadOnly } from '../../../main/store/open-store-read-only.js';
import { verifyAuditAt } from '../../../main/store/store-tasks.js';
import {
  buildCampaignStore,
  copyStore,
  rebuildChainFrom,
  tamper,
  type CampaignStore,
} from './campaign-store.js';

const run = promisify(execFile);
const OSC = ['--import', 'tsx', 'main/cli/osc.ts'];
const EDITED = 120;
const CUT_AFTER = 250;

/**
 * The tamper campaign of issue 13: every tampering of a fresh copy of a store is detected against
 * a signed checkpoint exported before it (rows #1..#300, the log went on to #312), naming the first
 * bad row. The plain chain walk (`verify-audit` without a checkpoint) is shown next to it: it
 * misses the rebuilt chain, which is why checkpoints are signed with a key the data folder lacks.
 */
describe('tamper campaign against an exported signed checkpoint', () => {
  let campaign: CampaignStore;

  beforeAll(async () => {
    campaign = await buildCampaignStore();
  }, 60_000);
  afterAll(() => rmSync(campaign.dir, { recursive: true, force: true }));

  function verify(dataDir: string, file = campaign.checkpointFile): CheckpointVerification {
    const db = openStoreReadOnly(dataDir);
    try {
      const checkpoint = parseCheckpointFile(readFileSync(file, 'utf8'));
      return verifyAgainstCheckpoint(
        db,
        checkpoint,
        readFileSync(campaign.publicKeyFile, 'utf8'),
        readStoreId(db),
      );
    } finally {
      db.close();
    }
  }

  it('proves an untouched copy unchanged up to the checkpoint (rows after it are not its business)', () => {
    const dataDir = copyStore(campaign, 'untouched');
    expect(verify(dataDir)).toMatchObject({ ok: true, seq: 300, tilesUsed: true });
    expect(verifyAuditAt(dataDir)).toMatchObject({ ok: true, rows: campaign.rows });
  });

  const cases: { name: string; named: number; plainCatches: boolean; apply: (dataDir: string) => void }[] = [
    {
      name: 'edit a row',
      named: EDITED,
      plainCatches: true,
      apply: (dataDir) =>
        tamper(dataDir, (db) =>
          db.prepare(`UPDATE audit_log SET detail = '{"n":0}' WHERE seq = ?`).run(EDITED),
        ),
    },
    {
      name: 'delete a row',
      named: EDITED,
      plainCatches: true,
      apply: (dataDir) =>
        tamper(dataDir, (db) => db.prepare('DELETE FROM audit_log WHERE seq = ?').run(EDITED)),
    },
    {
      name: 'reorder two rows',
      named: EDITED,
      plainCatches: true,
      apply: (dataDir) =>
        tamper(dataDir, (db) => {
          db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = ?').run(EDITED);
          db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(EDITED, EDITED + 1);
          db.prepare('UPDATE audit_log SET seq = ? WHERE seq = -1').run(EDITED + 1);
        }),
    },
    {
      name: 'insert a row (chained to its predecessor, later rows renumbered)',
      named: EDITED + 1,
      plainCatches: true,
      apply: (dataDir) =>
        tamper(dataDir, (db) => {
          db.prepare('UPDATE audit_log SET seq = -seq WHERE seq > ?').run(EDITED);
          db.prepare('UPDATE audit_log SET seq = 1 - seq WHERE seq < 0').run();
          const prev = (
            db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(EDITED) as { hash: string }
          ).hash;
          const forged = {
            seq: EDITED + 1,
            at: '2026-01-01T00:00:00.000Z',
            actor: 'admin',
            action: 'connections.update',
            target: 'forged',
            outcome: 'ok' as const,
            detail: '{}',
          };
          db.prepare(
            `INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash)
             VALUES (@seq, @at, @actor, @action, @target, @outcome, @detail, @prev, @hash)`,
          ).run({ ...forged, prev, hash: auditRowHash(prev, forged) });
        }),
    },
    {
      name: 'truncate the tail',
      named: CUT_AFTER + 1,
      plainCatches: true,
      apply: (dataDir) =>
        tamper(dataDir, (db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(CUT_AFTER)),
    },
    {
      name: 'truncate the tail, delete the anchor and restart the console',
      named: CUT_AFTER + 1,
      plainCatches: true,
      apply: (dataDir) => {
        tamper(dataDir, (db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(CUT_AFTER));
        rmSync(join(dataDir, 'audit-head.json'));
        // The product's own open: it records the reset anchor as row #251 and writes a new anchor.
        openStore({ dataDir }).close();
      },
    },
    {
      name: 'rebuild the whole chain and the anchor with recomputed hashes',
      named: EDITED,
      plainCatches: false,
      apply: (dataDir) =>
        tamper(dataDir, (db) => {
          db.prepare(`UPDATE audit_log SET detail = '{"n":0}' WHERE seq = ?`).run(EDITED);
          rebuildChainFrom(db, dataDir, 1);
        }),
    },
  ];

  for (const attack of cases) {
    it(`${attack.name}: detected, first bad row #${attack.named}`, () => {
      const dataDir = copyStore(campaign, attack.name.replace(/\W+/g, '-'));
      attack.apply(dataDir);
      const result = verify(dataDir);
      expect(result).toMatchObject({ ok: false, brokenSeq: attack.named });
      expect(verifyAuditAt(dataDir).ok).toBe(!attack.plainCatches);
    });
  }

  it('a checkpoint file without tiles still detects the rebuild, but can only point at the head row', () => {
    const dataDir = copyStore(campaign, 'rebuild-no-tiles');
    tamper(dataDir, (db) => {
      db.prepare(`UPDATE audit_log SET detail = '{"n":0}' WHERE seq = ?`).run(EDITED);
      rebuildChainFrom(db, dataDir, 1);
    });
    const bare = JSON.parse(readFileSync(campaign.checkpointFile, 'utf8')) as Record<string, unknown>;
    delete bare.tiles;
    const file = join(campaign.dir, 'checkpoint-no-tiles.json');
    writeFileSync(file, JSON.stringify(bare));
    expect(verify(dataDir, file)).toMatchObject({ ok: false, brokenSeq: 300 });
    expect(verify(copyStore(campaign, 'untouched-no-tiles'), file)).toMatchObject({
      ok: true,
      tilesUsed: false,
    });
  });

  it('refuses a checkpoint whose signed fields were edited, and tiles that do not give the signed root', () => {
    const dataDir = copyStore(campaign, 'forged-checkpoint');
    const original = JSON.parse(readFileSync(campaign.checkpointFile, 'utf8')) as {
      checkpoint: { seq: number };
      tiles: { hashes: string[] };
    };
    const forged = structuredClone(original);
    forged.checkpoint.seq = 250;
    const forgedFile = join(campaign.dir, 'forged.json');
    writeFileSync(forgedFile, JSON.stringify(forged));
    expect(verify(dataDir, forgedFile)).toMatchObject({ ok: false, brokenSeq: null });
    // Doctored tiles are ignored (they are not signed on their own): an untouched log still verifies.
    const doctored = structuredClone(original);
    doctored.tiles.hashes[5] = '0'.repeat(64);
    const doctoredFile = join(campaign.dir, 'doctored.json');
    writeFileSync(doctoredFile, JSON.stringify(doctored));
    expect(verify(dataDir, doctoredFile)).toMatchObject({ ok: true, tilesUsed: false });
  });

  it('the CLI as a process names row #120 in the rebuilt chain (exit 1) and proves the untouched copy (exit 0)', async () => {
    const rebuilt = copyStore(campaign, 'cli-rebuild');
    tamper(rebuilt, (db) => {
      db.prepare(`UPDATE audit_log SET detail = '{"n":0}' WHERE seq = ?`).run(EDITED);
      rebuildChainFrom(db, rebuilt, 1);
    });
    const args = (dataDir: string): string[] => [
      ...OSC,
      'verify-audit',
      '--checkpoint',
      campaign.checkpointFile,
      '--public-key',
      campaign.publicKeyFile,
      '--data-dir',
      dataDir,
    ];
    const failed = await run(process.execPath, args(rebuilt)).then(
      () => null,
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/DIFFERS from the signed checkpoint at row #120:/);
    const plain = await run(process.execPath, [...OSC, 'verify-audit', '--data-dir', rebuilt]);
    expect(plain.stdout).toMatch(/^audit log OK/);
    const good = await run(process.execPath, args(copyStore(campaign, 'cli-untouched')));
    expect(good.stdout).toMatch(/audit log OK against the signed checkpoint: rows #1..#300 unchanged/);
  }, 60_000);

  it('prove-audit and verify-proof as processes: a row is proven in the signed tree; an edited proof is refused', async () => {
    const proofFile = join(campaign.dir, 'proof-42.json');
    const dataDir = copyStore(campaign, 'cli-prove');
    await run(process.execPath, [
      ...OSC,
      'prove-audit',
      '42',
      '--checkpoint',
      campaign.checkpointFile,
      '--out',
      proofFile,
      '--data-dir',
      dataDir,
    ]);
    const proof = JSON.parse(readFileSync(proofFile, 'utf8')) as {
      treeSize: number;
      leafIndex: number;
      auditPath: string[];
      row: { detail: string };
    };
    expect(proof).toMatchObject({ treeSize: 300, leafIndex: 41 });
    // ceil(log2(300)) = 9 hashes at most: the proof stays small however long the log grows.
    expect(proof.auditPath.length).toBeLessThanOrEqual(9);
    const check = [
      ...OSC,
      'verify-proof',
      '--checkpoint',
      campaign.checkpointFile,
      '--public-key',
      campaign.publicKeyFile,
      '--proof',
    ];
    const ok = await run(process.execPath, [...check, proofFile]);
    expect(ok.stdout).toMatch(/^proof OK: row #42 is leaf 41 of the 300-row tree/);
    proof.row.detail = '{"n":1}';
    const edited = join(campaign.dir, 'proof-42-edited.json');
    writeFileSync(edited, JSON.stringify(proof));
    const refused = await run(process.execPath, [...check, edited]).then(
      () => null,
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stdout).toMatch(/proof REFUSED: row #42's content does not hash/);
  }, 60_000);
});
