import { createCore, type CoreOptions } from '../../main/app/core.js';
import type { Core } from '../../main/app/core-types.js';
import { createLogger } from '../../main/log/logger.js';
import type { Role } from '../../shared/contract/roles.js';
import { makeTempDir } from './temp-dir.js';
import { ADMIN_PASSWORD, KEYCHAIN_TEST_SERVICE, TestCaller } from './test-caller.js';

export interface TestCore {
  readonly core: Core;
  readonly dataDir: string;
  readonly admin: TestCaller;
  /** Creates an operator with these roles (as the admin) and returns a signed-in caller for them. */
  operator(username: string, roles: readonly Role[]): Promise<TestCaller>;
  close(): Promise<void>;
}

/** A real core (SQLite file, OS keychain, dispatcher) in a fresh data folder, with a signed-in admin. */
export async function startTestCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const { dir, cleanup } = makeTempDir('osc-core-');
  const core = await createCore({
    dataDir: dir,
    keychainService: KEYCHAIN_TEST_SERVICE,
    logger: createLogger({ level: 'silent' }),
    ...options,
  });
  const admin = new TestCaller(core, 'test:admin');
  await admin.value('session.setupFirstAdmin', {
    username: 'admin',
    displayName: 'Admin',
    password: ADMIN_PASSWORD,
  });
  return {
    core,
    dataDir: dir,
    admin,
    async operator(username, roles) {
      await admin.value('operators.create', {
        username,
        displayName: username,
        password: ADMIN_PASSWORD,
        roles: [...roles],
      });
      const caller = new TestCaller(core, `test:${username}`);
      await caller.value('session.login', { username, password: ADMIN_PASSWORD });
      return caller;
    },
    async close() {
      await core.close();
      cleanup();
    },
  };
}
