/**
 * The core process's arguments, set by whoever starts it: the Electron main process passes
 * `--data-dir`; tests also pass `--keychain-service` so they never touch a real profile's secrets.
 */
export interface CoreProcessArgs {
  readonly dataDir: string;
  readonly keychainService: string | undefined;
}

function valueOf(argv: readonly string[], flag: string): string | undefined {
  const index = argv.lastIndexOf(flag);
  if (index !== -1) return argv[index + 1];
  const inline = argv.findLast((arg) => arg.startsWith(`${flag}=`));
  return inline?.slice(flag.length + 1);
}

export function parseCoreProcessArgs(argv: readonly string[]): CoreProcessArgs {
  const dataDir = valueOf(argv, '--data-dir');
  if (dataDir === undefined || dataDir.trim() === '' || dataDir.startsWith('--')) {
    throw new Error('The core process needs --data-dir <folder>.');
  }
  const keychainService = valueOf(argv, '--keychain-service');
  return { dataDir, keychainService: keychainService === '' ? undefined : keychainService };
}
