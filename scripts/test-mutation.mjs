// `npm run test:mutation [-- MODULE…]`: StrykerJS over each module named in
// test/mutation/stryker.config.mjs (all by default), one Stryker run per module, inside the same
// private D-Bus session + throw-away gnome-keyring as `npm test` (the role-matrix test stores a
// secret in the real OS keychain). Not part of `npm test`. Reports: test-results/mutation/MODULE/.
import { spawnSync } from 'node:child_process';
import { runWithPrivateKeyring } from './private-keyring.mjs';
import { MODULES } from '../test/mutation/stryker.config.mjs';

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in MODULES));
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown module(s) ${unknown.join(', ')}; known: ${Object.keys(MODULES).join(', ')}\n`,
  );
  process.exit(2);
}
const modules = requested.length > 0 ? requested : Object.keys(MODULES);
process.env.OSC_TEST_KEYRING = process.platform === 'linux' ? 'secret-service' : 'os';
let failed = 0;
for (const name of modules) {
  process.env.OSC_MUTATION_MODULE = name;
  process.stdout.write(`\n=== mutation testing: ${name}\n`);
  const stryker = ['npx', 'stryker', 'run', 'test/mutation/stryker.config.mjs'];
  const status =
    process.platform === 'linux'
      ? runWithPrivateKeyring(stryker, 'osc-mutation')
      : (spawnSync(stryker[0], stryker.slice(1), { stdio: 'inherit' }).status ?? 1);
  if (status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
