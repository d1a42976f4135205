import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { makeTempDir } from '../../support/temp-dir.js';

const run = promisify(execFile);
const OSC = ['--import', 'tsx', 'main/cli/osc.ts'];

async function osc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...OSC, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('osc command line', () => {
  let data: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => data?.cleanup());

  it('prints usage with --help and exits 2 for an unknown command', async () => {
    const help = await osc(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/osc serve .*--data-dir/);
    const unknown = await osc(['explode']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "explode"');
  });

  it('refuses a non-loopback address without TLS and writes nothing', async () => {
    data = makeTempDir();
    const result = await osc([
      'serve',
      '--data-dir',
      `${data.dir}/store`,
      '--host',
      '0.0.0.0',
      '--port',
      '0',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Refusing to serve on 0\.0\.0\.0 without TLS.*--tls-cert.*--insecure-http/);
  });

  it('rejects a bad port and half a TLS pair with a clear message', async () => {
    data = makeTempDir();
    const port = await osc(['serve', '--data-dir', data.dir, '--port', 'eighty']);
    expect([port.code, port.stderr.trim()]).toEqual([2, 'osc: --port must be 0–65535, not "eighty"']);
    const tls = await osc(['serve', '--data-dir', data.dir, '--tls-cert', '/nonexistent.pem']);
    expect(tls.stderr).toContain('Pass both --tls-cert and --tls-key');
  });

  it('verifies the audit log of a store and backs it up; a missing store is an error, not created', async () => {
    data = makeTempDir();
    const missing = await osc(['verify-audit', '--data-dir', `${data.dir}/nowhere`]);
    expect(missing.code).toBe(2);
    openStore({ dataDir: data.dir }).close();
    const backup = await osc(['backup', '--data-dir', data.dir]);
    expect(backup.code, backup.stderr).toBe(0);
    const verify = await osc(['verify-audit', '--data-dir', data.dir]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^audit log OK/);
  });
});
