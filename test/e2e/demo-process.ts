import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

const DEMO = resolve(import.meta.dirname, '../peers/demo/start-demo.ts');

/** `npm run demo`'s script as a real process, on a free port, over a given data folder. */
export interface DemoProcess {
  readonly url: string;
  /** The inbound webhook listener's base URL, as the demo printed it. */
  readonly listenerUrl: string;
  readonly pid: number;
  output(): string;
  /** Ends it with SIGKILL: no clean close, as a crash or a power cut would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the demo and waits (bounded) for the line saying where it serves. */
export async function startDemoProcess(dataDir: string): Promise<DemoProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', DEMO, '--port', '0', '--data-dir', dataDir],
    { env: process.env },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const started = await new Promise<{ url: string; listenerUrl: string }>((done, fail) => {
    // A demo that does not come up is ended: a test must not leave it running behind.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the demo did not start within 90 s:\n${output}`));
    }, 90_000);
    const check = (): void => {
      const url = /is serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      const listenerUrl = /inbound webhook listener: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url !== undefined && listenerUrl !== undefined) {
        clearTimeout(timer);
        done({ url, listenerUrl });
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the demo exited with ${code}:\n${output}`));
    });
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill(signal);
    await exited;
    clearTimeout(hard);
  };
  return {
    ...started,
    pid: child.pid ?? -1,
    output: () => output,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** The passwords the demo printed for its operators when it created the data folder. */
export function demoPasswords(output: string): { admin: string; it: string; finance: string } {
  const admin = /sign in as "admin" \(administrator\) with password (\S+)/.exec(output)?.[1];
  const it = /or as "it" \(IT staff\) with password (\S+)/.exec(output)?.[1];
  const finance = /or as "finance" \(finance: the exceptions inbox\) with password (\S+)/.exec(output)?.[1];
  if (admin === undefined || it === undefined || finance === undefined)
    throw new Error(`the demo printed no passwords:\n${output}`);
  return { admin, it, finance };
}
