import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import type { RealOdoo } from '../peers/real-odoo/real-odoo.js';
import type { OdooLogin } from '../peers/real-odoo/admin-rpc.js';

/**
 * The demo clinic as a user starts it (`npm run demo -- --odoo-url … --odoo-db … --odoo-user …`,
 * key in ODOO_API_KEY), as a child process against a real Odoo. The test runs inside
 * `npm run test:odoo`'s private keyring session, so the demo and `osc run-flow` share a keychain.
 */

const START_DEMO = resolve(import.meta.dirname, '../peers/demo/start-demo.ts');
const START_TIMEOUT_MS = 120_000;

export interface DemoStart {
  readonly extraArgs?: readonly string[];
  readonly dataDir?: string;
}

export interface DemoExit {
  readonly code: number | null;
  readonly output: string;
}

export interface RunningDemo {
  readonly url: string;
  readonly itPassword: string;
  readonly pid: number;
  output(): string;
  /** Resolves when the output matches, bounded in time. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

function demoArgs(odoo: RealOdoo, login: OdooLogin, start: DemoStart): string[] {
  return [
    '--import',
    'tsx',
    START_DEMO,
    '--odoo-url',
    odoo.url,
    '--odoo-db',
    odoo.database,
    '--odoo-user',
    login.login,
    ...(start.dataDir === undefined ? [] : ['--data-dir', start.dataDir]),
    ...(start.extraArgs ?? []),
  ];
}

function spawnDemo(odoo: RealOdoo, login: OdooLogin, start: DemoStart): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, demoArgs(odoo, login, start), {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, ODOO_API_KEY: login.key, OSC_LOG_LEVEL: 'warn' },
  });
}

/** A start that is expected to end by itself (refusals, --prepare-odoo). */
export function runDemoToExit(odoo: RealOdoo, login: OdooLogin, start: DemoStart = {}): Promise<DemoExit> {
  const child = spawnDemo(odoo, login, start);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the demo did not end within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** A start that is expected to serve the console; resolves once it prints where. */
export async function startDemo(
  odoo: RealOdoo,
  login: OdooLogin,
  start: DemoStart = {},
): Promise<RunningDemo> {
  const child = spawnDemo(odoo, login, start);
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((done) => child.once('exit', done));

  const waitForOutput = (pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> =>
    new Promise((done, fail) => {
      const check = (): boolean => {
        const match = pattern.exec(output);
        if (match === null) return false;
        listeners.delete(listener);
        clearTimeout(timer);
        done(match);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        listeners.delete(listener);
        fail(new Error(`no ${String(pattern)} from the demo within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      listeners.add(listener);
      if (check()) return;
      void exited.then((code) => {
        if (!listeners.has(listener)) return;
        listeners.delete(listener);
        clearTimeout(timer);
        fail(new Error(`the demo exited with ${String(code)}:\n${output}`));
      });
    });

  const served = await waitForOutput(/is serving (http:\/\/127\.0\.0\.1:\d+)\//, START_TIMEOUT_MS);
  const itPassword = (await waitForOutput(/as "it" \(IT staff\) with password (\S+)/, 5000))[1];
  if (served[1] === undefined || itPassword === undefined || child.pid === undefined)
    throw new Error(`the demo printed no URL or password:\n${output}`);
  return {
    url: served[1],
    itPassword,
    pid: child.pid,
    output: () => output,
    waitForOutput,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
}
