/**
 * The desktop app's own command-line options. Electron and Chromium put their own switches in argv
 * too (and `electron .` adds the app path), so anything not ours is ignored, not an error.
 */
export interface MainArgs {
  /** From `--data-dir DIR` or `--data-dir=DIR`; null means the OS app-data default. */
  readonly dataDir: string | null;
}

export function parseMainArgs(argv: readonly string[]): MainArgs {
  let dataDir: string | null = null;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--data-dir') {
      const value = argv[index + 1];
      // A following switch is not a folder name: "--data-dir --demo" means no data dir given.
      if (value !== undefined && value !== '' && !value.startsWith('-')) {
        dataDir = value;
        index += 1;
      }
    } else if (arg?.startsWith('--data-dir=') === true) {
      const value = arg.slice('--data-dir='.length);
      if (value !== '') dataDir = value;
    }
  }
  return { dataDir };
}
