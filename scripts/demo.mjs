// `npm run demo`: builds the console if needed, then starts the demo clinic (emulators, supplier
// portal, seeded connections/mappings/flows, the console on 127.0.0.1). Connection secrets go to the
// OS keychain. On a Linux machine without a desktop session (no D-Bus, so no Secret Service), the
// demo runs inside a private dbus-run-session with its own throw-away gnome-keyring instead: still
// the real keychain, never a plaintext file, and gone when the demo stops.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const build = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const demo = [process.execPath, '--import', 'tsx', 'test/peers/demo/start-demo.ts', ...process.argv.slice(2)];
const quote = (arg) => `'${arg.replaceAll("'", "'\\''")}'`;
const onPath = (command) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/**
 * Runs the demo in its own process group and passes Ctrl+C / SIGTERM on to the whole group (the
 * private D-Bus session, the demo and its emulators), so stopping this script stops the demo too.
 */
function runDemo(command, args, options = {}, cleanup = () => undefined) {
  const group = process.platform !== 'win32';
  const child = spawn(command, args, { stdio: 'inherit', detached: group, ...options });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      try {
        if (group) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    });
  }
  child.once('exit', (code) => {
    cleanup();
    process.exit(code ?? 1);
  });
}

if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
  if (!onPath('dbus-run-session') || !onPath('gnome-keyring-daemon')) {
    process.stderr.write(
      'The demo stores its connection secrets in the OS keychain, and this machine has no desktop keychain.\n' +
        'Install one with: sudo apt-get install -y gnome-keyring dbus-x11 dbus-bin\n',
    );
    process.exit(1);
  }
  process.stderr.write(
    'No desktop keychain session: using a private, throw-away gnome-keyring for this demo.\n',
  );
  const inner =
    'printf osc-demo-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ' +
    `exec ${demo.map(quote).join(' ')}`;
  const keyringHome = mkdtempSync(join(tmpdir(), 'osc-demo-keyring-'));
  runDemo(
    'dbus-run-session',
    ['--', 'sh', '-c', inner],
    { env: { ...process.env, XDG_DATA_HOME: keyringHome } },
    () => rmSync(keyringHome, { recursive: true, force: true }),
  );
} else {
  runDemo(demo[0], demo.slice(1));
}
