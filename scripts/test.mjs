// `npm test`: checks system prerequisites, then runs every test (unit, integration, e2e in Chromium)
// inside a private D-Bus session with its own unlocked gnome-keyring, so the real OS keychain is
// exercised without touching the developer's own. Ends with "N passed, N failed" for CI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { runWithPrivateKeyring } from './private-keyring.mjs';
import { summarizeVitest } from './vitest-summary.mjs';

const INNER = process.argv.includes('--inner');
const linux = process.platform === 'linux';

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function checkPrerequisites() {
  const missing = [];
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (linux && !existsSync(chromium)) missing.push(['chromium', 'chromium']);
  if (linux && !onPath('dbus-run-session')) missing.push(['dbus-run-session', 'dbus-bin']);
  if (linux && !onPath('gnome-keyring-daemon')) missing.push(['gnome-keyring-daemon', 'gnome-keyring']);
  if (linux && !onPath('dbus-launch')) missing.push(['dbus-launch', 'dbus-x11']);
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  process.stderr.write(
    `npm test needs: ${missing.map(([what]) => what).join(', ')}.\n` +
      `Install with: sudo apt-get install -y ${packages}\n` +
      '(Chromium drives the end-to-end tests; the Secret Service is the real OS keychain the vault tests use.)\n',
  );
  return false;
}

/**
 * Type check and lint count as tests: a warning fails the run like a failing test does. The three run
 * side by side (each prints its output once it has finished, so the outputs never interleave), and
 * beside the tests, at a lower CPU priority: the tests mostly wait on sockets, processes and timers,
 * so the checks take the idle CPU instead of minutes of their own before the first test.
 */
async function runStaticChecks() {
  const checks = [
    ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['eslint (zero warnings)', ['npx', 'eslint', '.', '--max-warnings', '0']],
    ['prettier', ['npx', 'prettier', '--check', '.', '--log-level', 'warn']],
  ];
  const results = await Promise.all(
    checks.map(
      ([name, [command, ...args]]) =>
        new Promise((resolve) => {
          const [program, ...rest] = linux ? ['nice', '-n', '10', command, ...args] : [command, ...args];
          const child = spawn(program, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
          const output = [];
          child.stdout.on('data', (chunk) => output.push(chunk));
          child.stderr.on('data', (chunk) => output.push(chunk));
          child.on('error', (error) => resolve({ name, ok: false, output: [Buffer.from(String(error))] }));
          child.on('close', (code) => resolve({ name, ok: code === 0, output }));
        }),
    ),
  );
  let passed = 0;
  let failed = 0;
  for (const { name, ok, output } of results) {
    process.stdout.write(Buffer.concat(output));
    process.stdout.write(`${ok ? '✓' : '✗'} ${name}\n`);
    if (ok) passed += 1;
    else failed += 1;
  }
  return { passed, failed };
}

async function runInner() {
  mkdirSync('test-results', { recursive: true });
  // Started now, awaited after the tests (see runStaticChecks).
  const staticChecksDone =
    process.env.OSC_SKIP_STATIC_CHECKS === '1'
      ? Promise.resolve({ passed: 0, failed: 0 })
      : runStaticChecks();
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) {
    const staticChecks = await staticChecksDone;
    process.stdout.write(
      `The build failed; no tests ran.\n${staticChecks.passed} passed, ${staticChecks.failed + 1} failed\n`,
    );
    return 1;
  }
  const extra = process.argv.slice(2).filter((arg) => arg !== '--inner');
  const vitest = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=test-results/vitest.json',
      ...extra,
    ],
    { stdio: 'inherit', env: { ...process.env, OSC_TEST_KEYRING: linux ? 'secret-service' : 'os' } },
  );
  const tests = summarizeVitest('test-results/vitest.json');
  const staticChecks = await staticChecksDone;
  const passed = tests.passed + staticChecks.passed;
  const failed = tests.failed + staticChecks.failed;
  const skipped = tests.skipped;
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  return vitest.status === 0 && failed === 0 ? 0 : 1;
}

if (INNER || !linux) {
  process.exit(await runInner());
}
if (!checkPrerequisites()) process.exit(1);

const args = process.argv.slice(2);
process.exit(runWithPrivateKeyring([process.execPath, 'scripts/test.mjs', '--inner', ...args], 'osc-test'));
