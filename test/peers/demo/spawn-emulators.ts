import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface EmulatorsProcess {
  readonly odooUrl: string;
  readonly odooDatabase: string;
  readonly fhirUrl: string;
  readonly child: ChildProcess;
  close(): Promise<void>;
}

/** Starts emulators-process.ts in a child process and waits (bounded) for its URLs. */
export async function spawnEmulators(
  config: {
    odooApiKey: string;
    fhirToken: string;
    bulkChargeItems?: number;
    fhirSeed?: 'demo-clinic' | 'empty';
    maxCount?: number;
  },
  timeoutMs = 60_000,
): Promise<EmulatorsProcess> {
  const script = fileURLToPath(new URL('./emulators-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, OSC_EMULATORS: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the emulators did not start in time')), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulators exited with code ${String(code)}`));
    });
  });
  const urls = JSON.parse(first) as { odooUrl: string; odooDatabase: string; fhirUrl: string };
  return {
    ...urls,
    child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin.end();
        child.kill('SIGTERM');
      }),
  };
}
