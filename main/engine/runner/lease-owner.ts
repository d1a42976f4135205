import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Who holds a flow: `<pid>:<process start>:<random>`. The process start (Linux: the start time in
 * clock ticks from /proc/<pid>/stat) tells a console that is still running from a new process that
 * was given the same pid after it died: pids are reused (32,768 of them by default), and a lease held
 * by a reused pid would otherwise look alive forever. Elsewhere the start is '-' and only the pid and
 * the lease's expiry are checked.
 */
export function newOwnerId(pid: number = process.pid): string {
  return `${pid}:${processStart(pid) ?? '-'}:${randomBytes(6).toString('hex')}`;
}

/** The kernel's start time of a process (clock ticks since boot), or null where it cannot be read. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count fields after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

interface ParsedOwner {
  readonly pid: number;
  /** null for ids written before the start time was recorded (`<pid>:<random>`), or '-' unknown. */
  readonly start: string | null;
}

function parseOwner(owner: string): ParsedOwner | null {
  const parts = owner.split(':');
  const pid = Number(parts[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, start: parts.length >= 3 ? (parts[1] ?? null) : null };
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Owners that cannot be running any more: another engine instance of this same process (only one
 * lives at a time; an older one is a worker that died), a process that no longer exists, or a pid
 * now held by a different process (its start time differs from the one the owner recorded).
 */
export function deadOwners(owners: readonly string[], self: string, pid: number = process.pid): string[] {
  return owners.filter((owner) => isDeadOwner(owner, self, pid));
}

export function isDeadOwner(owner: string, self: string, pid: number = process.pid): boolean {
  if (owner === self) return false;
  const parsed = parseOwner(owner);
  if (parsed === null) return true;
  if (parsed.pid === pid) return true;
  if (processGone(parsed.pid)) return true;
  if (parsed.start === null || parsed.start === '-') return false;
  const now = processStart(parsed.pid);
  return now !== null && now !== parsed.start;
}
