import { createCore } from '../../../main/app/core.js';
import { createLogger } from '../../../main/log/logger.js';
import { ADMIN_PASSWORD, KEYCHAIN_TEST_SERVICE, TestCaller } from '../../support/test-caller.js';

/**
 * Run as its own process by keychain-locked.test.ts: saves a secret per connection while the
 * keychain works, so the test process, whose keychain never answers, finds secrets that are saved
 * but out of reach. Prints the connection ids as JSON.
 */
const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: save-secrets-child <dataDir>');
const core = await createCore({
  dataDir,
  keychainService: KEYCHAIN_TEST_SERVICE,
  logger: createLogger({ level: 'silent' }),
});
const admin = new TestCaller(core, 'test:child');
await admin.value('session.setupFirstAdmin', {
  username: 'admin',
  displayName: 'Admin',
  password: ADMIN_PASSWORD,
});
const settings = {
  fhir: { kind: 'fhir', baseUrl: 'http://127.0.0.1:9/fhir', allowInsecureHttp: true },
  'webhook-out': { kind: 'webhook-out', url: 'http://127.0.0.1:9/hook', allowInsecureHttp: true },
  'webhook-in': { kind: 'webhook-in', sourceName: 'billing' },
} as const;
const ids: Record<string, string> = {};
for (const [kind, value] of Object.entries(settings)) {
  const created = await admin.value('connections.create', { name: kind, settings: value });
  await admin.value('connections.setSecret', { id: created.id, secret: `saved-${kind}` });
  ids[kind] = created.id;
}
await core.close();
process.stdout.write(JSON.stringify(ids));
