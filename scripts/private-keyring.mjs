// Runs a command inside a private D-Bus session with its own unlocked, throw-away gnome-keyring:
// the real OS keychain (Secret Service), never the developer's own, gone when the command ends.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const quote = (arg) => `'${arg.replaceAll("'", "'\\''")}'`;

/** Runs argv inside the private keyring session; returns its exit status. */
export function runWithPrivateKeyring(argv, label = 'osc-test') {
  // A fresh keyring directory each run: an earlier run's keyring would be locked with an unknown password.
  const keyringHome = mkdtempSync(join(tmpdir(), `${label}-keyring-`));
  const inner =
    `printf ${label}-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ` +
    `exec ${argv.map(quote).join(' ')}`;
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: keyringHome },
  });
  return result.status ?? 1;
}
