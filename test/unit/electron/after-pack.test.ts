import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// scripts/after-pack.mjs is plain JavaScript (electron-builder loads it as is); this is its shape.
interface Target {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  productFilename: string;
  executableName: string;
}
interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName?: string; appInfo: { productFilename: string } };
}
interface AfterPackModule {
  afterPack: (context: AfterPackContext) => Promise<void>;
  default: unknown;
  fuseSettings(options: typeof FuseV1Options): Record<number, boolean>;
  fuseConfig(
    fuses: { FuseVersion: typeof FuseVersion; FuseV1Options: typeof FuseV1Options },
    target: Target,
  ): Record<string, unknown>;
  executablePath(target: Target): string;
  targetOf(context: AfterPackContext): Target;
}

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/after-pack.mjs');
// The marker @electron/fuses searches for in an Electron binary, followed by version and wire length.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31;
const DISABLE = 0x30;
const X64 = 1;
const ARM64 = 3;

let hook: AfterPackModule;
let workDir: string;

beforeAll(async () => {
  hook = (await import(pathToFileURL(SCRIPT).href)) as AfterPackModule;
});
beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'osc-after-pack-'));
});
afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** A stand-in executable: some bytes, the fuse wire with every fuse in `initial`, more bytes. */
function fakeElectronBinary(file: string, initial: number, wireLength = 8): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, wireLength]),
    Buffer.alloc(wireLength, initial),
  ]);
  writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0xcc), wire, Buffer.alloc(4096, 0xdd)]));
}

function linuxContext(appOutDir: string): AfterPackContext {
  return {
    appOutDir,
    electronPlatformName: 'linux',
    arch: X64,
    packager: { executableName: 'odoo-sync-console', appInfo: { productFilename: 'Odoo Sync Console' } },
  };
}

describe('after-pack fuse settings', () => {
  it('turns off the Node and debugger back doors and turns on encryption and asar checks', () => {
    expect(hook.fuseSettings(FuseV1Options)).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('sets every fuse @electron/fuses knows', () => {
    const known = Object.values(FuseV1Options).filter((value) => typeof value === 'number');
    expect(Object.keys(hook.fuseSettings(FuseV1Options)).map(Number).sort()).toEqual(known.sort());
  });

  it('re-signs ad hoc only for Apple silicon and universal macOS builds', () => {
    const target = (electronPlatformName: string, arch: number): Target => ({
      appOutDir: '/out',
      electronPlatformName,
      arch,
      productFilename: 'Odoo Sync Console',
      executableName: 'odoo-sync-console',
    });
    const fusesModule = { FuseVersion, FuseV1Options };
    expect(hook.fuseConfig(fusesModule, target('darwin', ARM64))).toMatchObject({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: true,
    });
    expect(hook.fuseConfig(fusesModule, target('darwin', 4)).resetAdHocDarwinSignature).toBe(true);
    expect(hook.fuseConfig(fusesModule, target('darwin', X64)).resetAdHocDarwinSignature).toBe(false);
    expect(hook.fuseConfig(fusesModule, target('linux', ARM64)).resetAdHocDarwinSignature).toBe(false);
  });
});

describe('after-pack executable path', () => {
  const base = {
    appOutDir: path.join('/out', 'unpacked'),
    arch: X64,
    productFilename: 'Odoo Sync Console',
    executableName: 'odoo-sync-console',
  };

  it.each([
    ['linux', path.join('/out', 'unpacked', 'odoo-sync-console')],
    ['win32', path.join('/out', 'unpacked', 'Odoo Sync Console.exe')],
    [
      'darwin',
      path.join('/out', 'unpacked', 'Odoo Sync Console.app', 'Contents', 'MacOS', 'Odoo Sync Console'),
    ],
    ['mas', path.join('/out', 'unpacked', 'Odoo Sync Console.app', 'Contents', 'MacOS', 'Odoo Sync Console')],
  ])('%s → %s', (electronPlatformName, expected) => {
    expect(hook.executablePath({ ...base, electronPlatformName })).toBe(expected);
  });

  it('refuses a platform it does not know instead of guessing', () => {
    expect(() => hook.executablePath({ ...base, electronPlatformName: 'freebsd' })).toThrow(/freebsd/);
  });

  it('reads the executable name from the Linux packager and the product name elsewhere', () => {
    const context = linuxContext('/out');
    expect(hook.targetOf(context).executableName).toBe('odoo-sync-console');
    expect(
      hook.targetOf({ ...context, packager: { appInfo: { productFilename: 'Odoo Sync Console' } } })
        .executableName,
    ).toBe('Odoo Sync Console');
  });
});

describe('after-pack hook on a packed executable', () => {
  it('is the module default and named export electron-builder looks for', () => {
    expect(hook.default).toBe(hook.afterPack);
  });

  it('flips every fuse in the wire and leaves the rest of the file alone', async () => {
    const binary = path.join(workDir, 'odoo-sync-console');
    fakeElectronBinary(binary, ENABLE);
    const before = readFileSync(binary);
    await hook.afterPack(linuxContext(workDir));
    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<string, number>;
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(DISABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    expect(after.subarray(0, 4096)).toEqual(before.subarray(0, 4096));
    expect(after.subarray(-4096)).toEqual(before.subarray(-4096));
  });

  it('leaves a newer, longer wire’s extra fuses as they were', async () => {
    const binary = path.join(workDir, 'odoo-sync-console');
    fakeElectronBinary(binary, DISABLE, 10);
    await hook.afterPack(linuxContext(workDir));
    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<string, number>;
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect([wire[8], wire[9]]).toEqual([DISABLE, DISABLE]);
  });

  it('fails the build when the executable is missing', async () => {
    await expect(hook.afterPack(linuxContext(workDir))).rejects.toThrow(/not found/);
  });

  it('fails the build when the file is not an Electron binary', async () => {
    writeFileSync(path.join(workDir, 'odoo-sync-console'), 'not electron');
    await expect(hook.afterPack(linuxContext(workDir))).rejects.toThrow(/sentinel/i);
  });
});
