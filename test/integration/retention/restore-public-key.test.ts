import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreCommand } from '../../../main/cli/commands/restore.js';
import type { CheckpointSigningKey } from '../../../main/store/audit/checkpoints/checkpoint-signing-key.js';
import { publicKeyId } from '../../../main/store/audit/checkpoints/checkpoint-signing-key.js';
import { createCheckpoint } from '../../../main/store/audit/checkpoints/create-checkpoint.js';
import { openStore } from '../../../main/store/open-store.js';
import { makeTempDir } from '../../support/temp-dir.js';

const quiet = { log: { warn: () => undefined } };
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function newKey(): CheckpointSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = createPrivateKey(pem);
  const publicKey = createPublicKey(key);
  return {
    privateKey: key,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: publicKeyId(publicKey),
  };
}

async function restore(args: Parameters<typeof restoreCommand>[0]): Promise<{ code: number; out: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const code = await restoreCommand(args, out);
  return { code, out: text };
}

/**
 * `osc restore --public-key FILE`: the backup's checkpoints must verify with the key the clinic kept
 * apart, not merely with whatever key signed them (someone who rewrote the backup could re-sign).
 */
describe('osc restore --public-key', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  let backup: string;
  const key = newKey();
  const otherKey = newKey();
  beforeEach(async () => {
    temp = makeTempDir('osc-restore-key-');
    dataDir = join(temp.dir, 'data');
    const store = openStore({ dataDir, ...quiet });
    const append = (i: number): void => {
      store.audit.append({
        actor: 'admin',
        action: 'flows.update',
        target: `f${i}`,
        outcome: 'ok',
        detail: {},
      });
    };
    for (let i = 1; i <= 6; i += 1) append(i);
    const sign = (): Promise<unknown> =>
      createCheckpoint(store.db, { storeId: 'store-1', key, reason: 'cli', now: () => new Date() });
    await sign();
    for (let i = 7; i <= 9; i += 1) append(i);
    await sign();
    backup = (await store.backup('cli')).path;
    append(10);
    store.close();
    writeFileSync(join(temp.dir, 'right.pem'), key.publicKeyPem);
    writeFileSync(join(temp.dir, 'other.pem'), otherKey.publicKeyPem);
  });
  afterEach(() => temp.cleanup());

  it('restores a backup whose checkpoints verify with the given key', async () => {
    const result = await restore({ dataDir, backup, publicKey: join(temp.dir, 'right.pem') });
    expect(result.out).not.toMatch(/REFUSED/);
    expect(result.code).toBe(0);
  });

  it('refuses (exit 1, nothing changed) when the checkpoints were signed by another key, naming the checkpoint', async () => {
    const before = digest(join(dataDir, 'osc.sqlite'));
    const result = await restore({ dataDir, backup, publicKey: join(temp.dir, 'other.pem') });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /^restore REFUSED: .*: checkpoint #1 \(row #6, [^)]+\) is not signed by the given public key \(key id [0-9a-f]{16}…; it names key [0-9a-f]{16}…\)\. Nothing was changed\.\n$/,
    );
    expect(digest(join(dataDir, 'osc.sqlite'))).toBe(before);
  });

  it('a key file that cannot be read or is not a public key stops it (exit 2), naming the file', async () => {
    const missing = await restore({ dataDir, backup, publicKey: join(temp.dir, 'none.pem') });
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/^restore failed: cannot read the public key .*none\.pem: /);
    writeFileSync(join(temp.dir, 'junk.pem'), 'not a key');
    expect((await restore({ dataDir, backup, publicKey: join(temp.dir, 'junk.pem') })).code).toBe(2);
  });

  it('without --public-key the same backup restores (the stored key is not checked then)', async () => {
    expect((await restore({ dataDir, backup })).code).toBe(0);
  });
});
