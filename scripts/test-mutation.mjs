// `npm run test:mutation [-- stryker options]`: StrykerJS over the modules named in
// test/mutation/stryker.config.mjs, inside the same private D-Bus session + throw-away gnome-keyring
// as `npm test` (the role-matrix test stores a secret in the real OS keychain). Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { runWithPrivateKeyring } from './private-keyring.mjs';

process.env.OSC_TEST_KEYRING = process.platform === 'linux' ? 'secret-service' : 'os';
const stryker = ['npx', 'stryker', 'run', 'test/mutation/stryker.config.mjs', ...process.argv.slice(2)];
process.exit(
  process.platform === 'linux'
    ? runWithPrivateKeyring(stryker, 'osc-mutation')
    : (spawnSync(stryker[0], stryker.slice(1), { stdio: 'inherit' }).status ?? 1),
);
