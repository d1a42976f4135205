import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { AuditHead } from './audit-chain-head.js';

/**
 * The head anchor: the newest committed audit row's {seq, hash}, kept in a file OUTSIDE SQLite.
 * The hash chain alone cannot notice rows deleted from its end (what is left is still a valid
 * chain); the anchor can, because whoever truncates the table has to know to rewrite this file too.
 */
export const AUDIT_HEAD_FILE = 'audit-head.json';

export type AnchorReading =
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable'; readonly reason: string }
  | { readonly state: 'present'; readonly head: AuditHead };

const HASH_PATTERN = /^[0-9a-f]{64}$/;
const MAX_ANCHOR_BYTES = 4096;

export function anchorPathFor(dataDir: string): string {
  return join(dataDir, AUDIT_HEAD_FILE);
}

export function readAnchor(path: string): AnchorReading {
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_ANCHOR_BYTES) return { state: 'unreadable', reason: 'file is too large' };
    text = bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable', reason: (error as Error).message };
  }
  return parseAnchor(text);
}

export function parseAnchor(text: string): AnchorReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { state: 'unreadable', reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null) return { state: 'unreadable', reason: 'not an object' };
  const { seq, hash } = value as { seq?: unknown; hash?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return { state: 'unreadable', reason: 'seq is not a non-negative integer' };
  }
  if (typeof hash !== 'string' || !HASH_PATTERN.test(hash)) {
    return { state: 'unreadable', reason: 'hash is not 64 hex digits' };
  }
  return { state: 'present', head: { seq, hash } };
}

/**
 * Write temp file + fsync + rename, so a crash leaves either the old or the new anchor, never half of
 * one. The folder is not fsynced after the rename on purpose: if a power cut loses the rename, the
 * older anchor remains, which verify reports as "anchor behind", never as tampering; the extra fsync
 * would cost every append batch a second disk flush for nothing. Throws on failure; the caller
 * decides what a failure means.
 */
export function writeAnchorAtomically(path: string, head: AuditHead): void {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`,
  );
  const body = `${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Moves the anchor forward only. Two connections (the window's and the engine worker's) may commit
 * in one order and reach this point in the other; never let the later write record the older head.
 */
export function advanceAnchor(path: string, head: AuditHead): void {
  const current = readAnchor(path);
  if (current.state === 'present' && current.head.seq >= head.seq) return;
  writeAnchorAtomically(path, head);
}
