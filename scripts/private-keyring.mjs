// Runs a command inside a private D-Bus session with its own unlocked, throw-away gnome-keyring:
// the real OS keychain (Secret Service), never the developer's own, gone when the command ends.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const quote = (arg) => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs argv inside the private keyring session; returns its exit status. gnome-keyring-daemon can
 * crash (a glib assertion, seen when a console holding a Secret Service session is SIGKILLed by the
 * crash tests); D-Bus would then activate a fresh daemon whose keyring is locked, and every later
 * test would fail on a locked keychain. So the daemon runs in the foreground under a small keeper
 * that starts it again, unlocking the same keyring file with the same password: secrets survive.
 */
export function runWithPrivateKeyring(argv, label = 'osc-test') {
  // A fresh keyring directory each run: an earlier run's keyring would be locked with an unknown password.
  const keyringHome = mkdtempSync(join(tmpdir(), `${label}-keyring-`));
  const hasOwner =
    'dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus ' +
    'org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true';
  const inner = [
    `keep() { while :; do printf ${label}-keyring | gnome-keyring-daemon --replace --unlock --components=secrets --foreground >/dev/null 2>&1; sleep 0.2; done; }`,
    'keep & keeper=$!',
    `i=0; until ${hasOwner}; do i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05; done`,
    `${argv.map(quote).join(' ')}; status=$?`,
    'kill $keeper 2>/dev/null',
    'exit $status',
  ].join('\n');
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: keyringHome },
  });
  return result.status ?? 1;
}
