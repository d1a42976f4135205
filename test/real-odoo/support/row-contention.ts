import { spawn } from 'node:child_process';
import { readStage } from '../../peers/real-odoo/stage.js';

/**
 * Keeps one database row almost permanently locked and changed by another PostgreSQL session:
 * short transactions that update the row, hold its lock for 400 ms and commit, back to back. Any
 * Odoo transaction that writes the row in the meantime waits for the lock and then fails with
 * "could not serialize access due to concurrent update" (Odoo runs REPEATABLE READ). Bounded by
 * `durationMs`; `stop()` ends the psql process this started, by its PID.
 */
export function holdRowContended(
  database: string,
  table: string,
  id: number,
  durationMs: number,
): { stop(): void } {
  const { pg } = readStage();
  const holdMs = 400;
  const rounds = Math.ceil(durationMs / holdMs);
  const script = ['\\set ON_ERROR_STOP 1'];
  for (let round = 0; round < rounds; round += 1) {
    script.push(
      `BEGIN; UPDATE "${table}" SET write_date = now() WHERE id = ${id}; SELECT pg_sleep(${holdMs / 1000}); COMMIT;`,
    );
  }
  const child = spawn(
    'psql',
    ['-h', pg.host, '-p', String(pg.port), '-U', pg.superuser, '-d', database, '-Xq'],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  child.stdin.end(script.join('\n'));
  return {
    stop: () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
      }
    },
  };
}
