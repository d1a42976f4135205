import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ODOO_ROLE, ODOO_ROLE_PASSWORD, type PostgresAddress } from './postgres.js';

/**
 * One Odoo server process on 127.0.0.1, started from the unpacked source with Debian's python3,
 * serving exactly one database, stopped by its own PID. `freeze` / `thaw` (SIGSTOP / SIGCONT) make
 * a server that accepts connections but never answers, as a hung Odoo does.
 */

export const PYTHON = '/usr/bin/python3';

export interface OdooProcessOptions {
  readonly sourceDir: string;
  readonly dataDir: string;
  readonly database: string;
  /** '17.0', '19.0': a few settings differ between series. */
  readonly series: string;
  readonly pg: PostgresAddress;
  /** Where the config file and the log go. */
  readonly workDir: string;
  readonly port?: number;
  readonly startTimeoutMs?: number;
}

export interface OdooProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly database: string;
  readonly configFile: string;
  readonly logFile: string;
  log(): string;
  freeze(): void;
  thaw(): void;
  /** SIGTERM, as an operator stops Odoo (SIGKILL after 5 s); ≈ 1.3 s while Odoo shuts down. */
  stop(): Promise<void>;
  /** SIGKILL: for a server whose database is dropped next, where a clean shutdown buys nothing. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export function writeOdooConfig(options: OdooProcessOptions, port: number, geventPort: number): string {
  const file = join(options.workDir, `odoo-${options.database}.conf`);
  const lines = [
    '[options]',
    `addons_path = ${join(options.sourceDir, 'addons')},${join(options.sourceDir, 'odoo', 'addons')}`,
    `data_dir = ${options.dataDir}`,
    `db_host = ${options.pg.host}`,
    `db_port = ${options.pg.port}`,
    `db_user = ${ODOO_ROLE}`,
    `db_password = ${ODOO_ROLE_PASSWORD}`,
    'http_interface = 127.0.0.1',
    `http_port = ${port}`,
    // Never used with workers = 0, but two servers must not both claim the default 8072.
    `gevent_port = ${geventPort}`,
    'workers = 0',
    'list_db = False',
    // 19.0 reads a boolean here; 17.0 the list of modules ('all').
    `without_demo = ${Number.parseFloat(options.series) >= 19 ? 'True' : 'all'}`,
    'max_cron_threads = 0',
    'log_level = warn',
  ];
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

async function answersVersion(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'call',
        params: { service: 'common', method: 'version', args: [] },
      }),
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
}

export async function startOdooProcess(options: OdooProcessOptions): Promise<OdooProcess> {
  const port = options.port ?? (await freePort());
  const configFile = writeOdooConfig(options, port, await freePort());
  const logFile = join(options.workDir, `odoo-${options.database}.log`);
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    PYTHON,
    [
      join(options.sourceDir, 'odoo-bin'),
      '-c',
      configFile,
      '-d',
      options.database,
      `--db-filter=^${options.database}$`,
    ],
    { stdio: ['ignore', logFd, logFd], detached: false },
  );
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Odoo did not start (spawn ${PYTHON} failed)`);
  const url = `http://127.0.0.1:${port}`;
  const log = (): string => readFileSync(logFile, 'utf8');
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await answersVersion(url))) {
    if (child.exitCode !== null) throw new Error(`Odoo exited with ${child.exitCode} at start:\n${log()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Odoo did not answer on ${url} in time:\n${log()}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  let frozen = false;
  return {
    url,
    port,
    pid,
    database: options.database,
    configFile,
    logFile,
    log,
    freeze: () => {
      frozen = true;
      process.kill(pid, 'SIGSTOP');
    },
    thaw: () => {
      frozen = false;
      process.kill(pid, 'SIGCONT');
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (frozen) process.kill(pid, 'SIGCONT');
      const gone = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = exited(child);
      child.kill('SIGKILL');
      await gone;
    },
  };
}
