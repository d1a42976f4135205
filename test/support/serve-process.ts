import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ServeProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything the server wrote to stdout and stderr so far: its logs. */
  output(): string;
  /** Ends the process with SIGKILL, as a crash or `kill -9` would (no cleanup runs); resolves once it is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServeProcessOptions {
  /** Another build of `osc.cjs` (e.g. a copy of an older dist/ to measure a change against). */
  readonly osc?: string;
  readonly env?: Readonly<Record<string, string>>;
}

const OSC = resolve(import.meta.dirname, '../../dist/main/osc.cjs');

/** Runs the built `osc serve` as a separate process, the way an operator starts it. */
export async function startServeProcess(
  dataDir: string,
  extraArgs: string[] = [],
  options: ServeProcessOptions = {},
): Promise<ServeProcess> {
  const osc = options.osc ?? OSC;
  if (!existsSync(osc)) throw new Error(`${osc} is missing: run \`npm run build\` first (npm test does).`);
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [osc, 'serve', '--data-dir', dataDir, '--port', '0', ...extraArgs],
    { env: { ...process.env, OSC_LOG_LEVEL: 'debug', ...options.env } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start within 15 s:\n${output}`)), 15_000);
    const check = (): void => {
      const match = /is serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('serve started without a pid');
  return {
    url,
    pid,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
