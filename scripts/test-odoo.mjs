// `npm run test:odoo`: the real-Odoo stage. It needs the server files (ODOO_SERVER_DIR), Debian's
// python3 with Odoo's packages and a PostgreSQL server; it installs nothing and says what is missing.
// Without ODOO_SERVER_DIR it says the stage did not run, and counts nothing as passed or skipped.
// Ends with "N passed, N failed" like `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { runWithPrivateKeyring } from './private-keyring.mjs';
import { summarizeVitest } from './vitest-summary.mjs';

const INNER = process.argv.includes('--inner');
// One report per server (odoo17-server, odoo19-server …): CI runs the two stages side by side.
const REPORT = `test-results/vitest-odoo-${basename(process.env.ODOO_SERVER_DIR ?? 'none')}.json`;

function runInner() {
  mkdirSync('test-results', { recursive: true });
  const build = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) {
    process.stdout.write('The build failed; the real-Odoo stage did not run.\n0 passed, 1 failed\n');
    return 1;
  }
  const extra = process.argv.slice(2).filter((arg) => arg !== '--inner');
  const vitest = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'test/real-odoo/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${REPORT}`,
      ...extra,
    ],
    { stdio: 'inherit', env: { ...process.env, OSC_TEST_KEYRING: 'secret-service' } },
  );
  const { passed, failed, skipped } = summarizeVitest(REPORT);
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  return vitest.status === 0 && failed === 0 ? 0 : 1;
}

if (INNER) process.exit(runInner());

const check = spawnSync(process.execPath, ['--import', 'tsx', 'test/peers/real-odoo/stage-check.ts'], {
  encoding: 'utf8',
});
const problem = check.status === 0 ? check.stdout.trim() : `the stage check failed: ${check.stderr}`;
if (problem !== '') {
  const noFiles = !process.env.ODOO_SERVER_DIR;
  process.stdout.write(`The real-Odoo stage did not run: ${problem}\n`);
  if (noFiles) {
    // Nothing ran: no test is counted, neither as passed nor as skipped.
    process.stdout.write('0 passed, 0 failed\n');
    process.exit(0);
  }
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
const args = process.argv.slice(2);
process.exit(
  runWithPrivateKeyring([process.execPath, 'scripts/test-odoo.mjs', '--inner', ...args], 'osc-odoo-test'),
);
