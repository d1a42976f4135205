import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ServeProcess {
  readonly url: string;
  /** Everything the server wrote to stdout and stderr so far: its logs. */
  output(): string;
  stop(): Promise<void>;
}

const OSC = resolve(import.meta.dirname, '../../dist/main/osc.cjs');

/** Runs the built `osc serve` as a separate process, the way an operator starts it. */
export async function startServeProcess(dataDir: string, extraArgs: string[] = []): Promise<ServeProcess> {
  if (!existsSync(OSC))
    throw new Error('dist/main/osc.cjs is missing: run `npm run build` first (npm test does).');
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [OSC, 'serve', '--data-dir', dataDir, '--port', '0', ...extraArgs],
    { env: { ...process.env, OSC_LOG_LEVEL: 'debug' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
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
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
