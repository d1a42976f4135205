import { randomBytes } from 'node:crypto';
import type { CallContext } from '../../../main/api/call-context.js';
import type { Core } from '../../../main/app/core-types.js';
import type { OperationInput, OperationName, OperationOutput } from '../../../shared/contract/operations.js';
import type { ContractCaller } from './seed-demo-clinic.js';

/** A signed-in operator calling the core's dispatcher, as one console window would. */
export class CoreCaller implements ContractCaller {
  private sessionId: string | null = null;

  constructor(
    private readonly core: Core,
    private readonly origin: string,
  ) {}

  async value<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    const context: CallContext = {
      transport: 'cli',
      origin: this.origin,
      sessionId: this.sessionId,
      bindSession: (id) => {
        this.sessionId = id;
      },
      clearSession: () => {
        this.sessionId = null;
      },
    };
    const result = await this.core.dispatch(name, input, context);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as OperationOutput<N>;
  }
}

export interface DemoOperators {
  readonly admin: CoreCaller;
  readonly it: CoreCaller;
  /** Shown once on the terminal so the person running the demo can sign in; stored nowhere. */
  readonly passwords: { readonly admin: string; readonly it: string; readonly finance: string };
}

const newPassword = (): string => randomBytes(9).toString('base64url');

/**
 * The first administrator, an IT-staff operator (who authors the mappings the admin approves) and a
 * finance user (whose home page is the exceptions inbox, where the seeded bad records wait).
 */
export async function createDemoOperators(core: Core): Promise<DemoOperators> {
  const passwords = { admin: newPassword(), it: newPassword(), finance: newPassword() };
  const admin = new CoreCaller(core, 'demo:admin');
  await admin.value('session.setupFirstAdmin', {
    username: 'admin',
    displayName: 'Demo administrator',
    password: passwords.admin,
  });
  await admin.value('operators.create', {
    username: 'it',
    displayName: 'Demo IT staff',
    password: passwords.it,
    roles: ['it-staff'],
  });
  await admin.value('operators.create', {
    username: 'finance',
    displayName: 'Demo finance user',
    password: passwords.finance,
    roles: ['finance'],
  });
  const it = new CoreCaller(core, 'demo:it');
  await it.value('session.login', { username: 'it', password: passwords.it });
  return { admin, it, passwords };
}
