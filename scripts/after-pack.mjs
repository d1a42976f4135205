// electron-builder afterPack hook: flips Electron's fuses in the packed executable, before signing
// (electron-builder signs after this hook; flipping later would break the signature).
//
// Fuses are build-time switches baked into the Electron binary. Turned off here: the features that
// let anyone with a shell turn the signed app into a general-purpose Node runtime or debugger
// (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect) and load code from outside the app archive.
// Turned on: cookie encryption and the asar integrity check (macOS and Windows verify app.asar
// against the hash electron-builder embeds).
import { existsSync } from 'node:fs';
import path from 'node:path';
// CommonJS package: its default export is the whole module.exports object.
import fuses from '@electron/fuses';

/** The fuse settings, keyed by @electron/fuses' FuseV1Options (passed in, so tests can use the same). */
export function fuseSettings(FuseV1Options) {
  return {
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

// States of one fuse in the wire (ASCII '0', '1', 'r'); @electron/fuses 1.x does not export its enum.
const FUSE_DISABLED = 48;
const FUSE_ENABLED = 49;
const FUSE_REMOVED = 114;

// electron-builder's Arch enum: ia32 0, x64 1, armv7l 2, arm64 3, universal 4.
const ARM64 = 3;
const UNIVERSAL = 4;

/** The config for flipFuses. On Apple silicon, flipping invalidates the ad-hoc signature; re-sign it. */
export function fuseConfig(fuseModule, target) {
  const isMac = target.electronPlatformName === 'darwin' || target.electronPlatformName === 'mas';
  return {
    version: fuseModule.FuseVersion.V1,
    resetAdHocDarwinSignature: isMac && (target.arch === ARM64 || target.arch === UNIVERSAL),
    ...fuseSettings(fuseModule.FuseV1Options),
  };
}

/**
 * Where the packed Electron executable is: linux <appOutDir>/<executableName>, windows
 * <appOutDir>/<productFilename>.exe, macOS <appOutDir>/<productFilename>.app/Contents/MacOS/<productFilename>
 * (@electron/fuses follows that to the Electron Framework binary, where the fuse wire lives on macOS).
 */
export function executablePath(target) {
  const { appOutDir, electronPlatformName, productFilename, executableName } = target;
  switch (electronPlatformName) {
    case 'linux':
      return path.join(appOutDir, executableName);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`, 'Contents', 'MacOS', productFilename);
    default:
      throw new Error(`after-pack: no executable layout known for platform "${electronPlatformName}"`);
  }
}

/** The plain facts the two functions above need, read from electron-builder's AfterPackContext. */
export function targetOf(context) {
  return {
    appOutDir: context.appOutDir,
    electronPlatformName: context.electronPlatformName,
    arch: context.arch,
    productFilename: context.packager.appInfo.productFilename,
    // Only the Linux packager has executableName; elsewhere the product file name is the executable.
    executableName: context.packager.executableName ?? context.packager.appInfo.productFilename,
  };
}

export async function afterPack(context) {
  const target = targetOf(context);
  const binary = executablePath(target);
  if (!existsSync(binary)) throw new Error(`after-pack: packed Electron executable not found at ${binary}`);
  const config = fuseConfig(fuses, target);
  await fuses.flipFuses(binary, config);
  // Read the wire back: a build whose fuses did not take must not ship.
  const wire = await fuses.getCurrentFuseWire(binary);
  for (const [option, enabled] of Object.entries(fuseSettings(fuses.FuseV1Options))) {
    const expected = enabled ? FUSE_ENABLED : FUSE_DISABLED;
    // A fuse a newer Electron removed is ignored by flipFuses; only a fuse still wired must match.
    if (wire[option] !== expected && wire[option] !== FUSE_REMOVED) {
      throw new Error(`after-pack: fuse ${fuses.FuseV1Options[option]} did not flip in ${binary}`);
    }
  }
  console.log(`after-pack: fuses flipped in ${binary}`);
}

export default afterPack;
