import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionCheck, ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { CsvDropSettings } from '../../../shared/domain/connection.js';

/**
 * "Test connection" for a CSV drop: each folder exists and is a folder; the drop folder is readable
 * and writable (moving a file out needs write access to it); archive and rejected are writable
 * (proved by writing and removing a probe file); and whether they share a filesystem with the drop
 * folder (if not, moves become copy + delete: slower, still correct).
 */
export async function testCsvDrop(settings: CsvDropSettings): Promise<ConnectionTestResult> {
  const started = performance.now();
  const checks: ConnectionCheck[] = [];
  const facts: Record<string, string> = {};
  const folders = [
    { id: 'folder', label: 'Drop folder', path: settings.folder },
    { id: 'archive', label: 'Archive folder', path: settings.archiveFolder },
    { id: 'rejected', label: 'Rejected folder', path: settings.rejectedFolder },
  ];
  const devices = new Map<string, number>();
  for (const folder of folders) {
    const info = await stat(folder.path).catch(() => null);
    if (info === null || !info.isDirectory()) {
      checks.push({
        id: `${folder.id}:exists`,
        label: folder.label,
        status: 'failed',
        message: `${folder.path} does not exist or is not a folder.`,
      });
      continue;
    }
    devices.set(folder.id, info.dev);
    const readable = await access(folder.path, constants.R_OK | constants.X_OK).then(
      () => readdir(folder.path).then((entries) => entries.length),
      () => null,
    );
    if (readable === null) {
      checks.push({
        id: `${folder.id}:readable`,
        label: folder.label,
        status: 'failed',
        message: `${folder.path} cannot be read by this program.`,
      });
      continue;
    }
    if (folder.id === 'folder') facts.filesWaiting = String(readable);
    const probe = join(folder.path, `.osc-probe-${randomUUID()}.tmp`);
    const writable = await writeFile(probe, 'probe').then(
      () => rm(probe).then(() => true),
      () => false,
    );
    checks.push({
      id: `${folder.id}:writable`,
      label: folder.label,
      status: writable ? 'passed' : 'failed',
      message: writable
        ? `${folder.path} is readable and writable.`
        : `${folder.path} is not writable: processed files could not be moved.`,
    });
  }
  const drop = devices.get('folder');
  const elsewhere = [...devices.entries()].filter(
    ([id, dev]) => id !== 'folder' && drop !== undefined && dev !== drop,
  );
  if (elsewhere.length > 0) {
    checks.push({
      id: 'same-filesystem',
      label: 'Same disk',
      status: 'warning',
      message: `${elsewhere.map(([id]) => id).join(' and ')} is on another filesystem: files are copied then deleted instead of moved.`,
    });
  }
  facts.encoding = settings.encoding;
  const failed = checks.find((check) => check.status === 'failed');
  return {
    ok: failed === undefined,
    summary:
      failed?.message ??
      `The drop folder and its archive and rejected folders are ready (${facts.filesWaiting ?? 0} file(s) waiting).`,
    checks,
    facts,
    durationMs: Math.round(performance.now() - started),
  };
}
