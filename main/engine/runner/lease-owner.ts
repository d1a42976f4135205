import { randomBytes } from 'node:crypto';

/** `<pid>:<random>`: which engine holds a flow. */
export function newOwnerId(pid: number = process.pid): string {
  return `${pid}:${randomBytes(6).toString('hex')}`;
}

/**
 * Owners that cannot be running any more: another engine instance of this same process (only one
 * lives at a time; an older one is a worker that died), or a process that no longer exists.
 */
export function deadOwners(owners: readonly string[], self: string, pid: number = process.pid): string[] {
  return owners.filter((owner) => {
    if (owner === self) return false;
    const ownerPid = Number(owner.split(':')[0]);
    if (!Number.isInteger(ownerPid) || ownerPid <= 0) return true;
    if (ownerPid === pid) return true;
    try {
      process.kill(ownerPid, 0);
      return false;
    } catch (error) {
      // EPERM: the process exists but belongs to someone else, so it is alive.
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  });
}
