// `npm test`: checks system prerequisites, then runs every test (unit, integration, e2e in Chromium)
// inside a private D-Bus session with its own unlocked gnome-keyring, so the real OS keychain is
// exercised without touching the developer's own. Ends with "N passed, N failed" for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

function summarize() {
  const file = 'test-results/vitest.json';
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let failed = report.numFailedTests ?? 0;
  // A suite that fails to load has no failed test of its own; it still has to count as a failure.
  if (failed === 0 && report.success === false) failed = Math.max(1, report.numFailedTestSuites ?? 0);
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Type check and lint count as tests: a warning fails the run like a failing test does. */
function runStaticChecks() {
  const checks = [
    ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['eslint (zero warnings)', ['npx', 'eslint', '.', '--max-warnings', '0']],
    ['prettier', ['npx', 'prettier', '--check', '.', '--log-level', 'warn']],
  ];
  let passed = 0;
  let failed = 0;
  for (const [name, [command, ...args]] of checks) {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    const ok = result.status === 0;
    process.stdout.write(`${ok ? '✓' : '✗'} ${name}\n`);
    if (ok) passed += 1;
    else failed += 1;
  }
  return { passed, failed };
}

function runInner() {
  mkdirSync('test-results', { recursive: true });
  const staticChecks =
    process.env.OSC_SKIP_STATIC_CHECKS === '1' ? { passed: 0, failed: 0 } : runStaticChecks();
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) {
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
  const tests = summarize();
  const passed = tests.passed + staticChecks.passed;
  const failed = tests.failed + staticChecks.failed;
  const skipped = tests.skipped;
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  return vitest.status === 0 && failed === 0 ? 0 : 1;
}

if (INNER || !linux) {
  process.exit(runInner());
}
if (!checkPrerequisites()) process.exit(1);

// A fresh keyring directory each run: an earlier run's keyring would be locked with an unknown password.
const keyringHome = mkdtempSync(join(tmpdir(), 'osc-keyring-'));
const args = process.argv
  .slice(2)
  .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
  .join(' ');
const inner =
  'printf osc-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ' +
  `exec node scripts/test.mjs --inner ${args}`;
const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], {
  stdio: 'inherit',
  env: { ...process.env, XDG_DATA_HOME: keyringHome },
});
process.exit(result.status ?? 1);
