import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * File handling around a drop folder: checksums, moves that work across filesystems, names that
 * never overwrite an earlier file, and the `<file>.reason.txt` next to a rejected file.
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** `name`, or `name` prefixed with the time and a short checksum when that name is taken. */
async function freeName(folder: string, name: string, sha256: string): Promise<string> {
  if (!(await exists(join(folder, name)))) return join(folder, name);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(folder, `${stamp}-${sha256.slice(0, 8)}-${name}`);
}

/** Moves the file into `folder`; returns its new path. */
export async function moveInto(path: string, folder: string, sha256: string): Promise<string> {
  const target = await freeName(folder, basename(path), sha256);
  try {
    await rename(path, target);
  } catch (error) {
    // Archive on another disk or share: rename cannot cross filesystems, so copy then delete.
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(path, target);
    await rm(path);
  }
  return target;
}

export async function rejectInto(
  path: string,
  folder: string,
  sha256: string,
  reason: string,
): Promise<string> {
  const target = await moveInto(path, folder, sha256);
  await writeFile(`${target}.reason.txt`, `${reason}\n`, 'utf8');
  return target;
}
