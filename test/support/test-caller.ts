import type { CallContext } from '../../main/api/call-context.js';
import type { Core } from '../../main/app/core-types.js';
import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';

/**
 * Calls the real dispatcher the way a transport does, remembering its session like one Electron
 * window would. `call` returns the Result; `value` unwraps it or throws with the error code.
 */
export class TestCaller {
  sessionId: string | null = null;

  constructor(
    private readonly core: Core,
    readonly origin = 'test:caller',
  ) {}

  private context(): CallContext {
    return {
      transport: 'ipc',
      origin: this.origin,
      sessionId: this.sessionId,
      bindSession: (id) => {
        this.sessionId = id;
      },
      clearSession: () => {
        this.sessionId = null;
      },
    };
  }

  call<N extends OperationName>(name: N, input: unknown): Promise<Result<OperationOutput<N>>> {
    return this.core.dispatch(name, input, this.context()) as Promise<Result<OperationOutput<N>>>;
  }

  async value<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    const result = await this.call(name, input);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }
}

export const ADMIN_PASSWORD = 'correct horse battery staple';
export const KEYCHAIN_TEST_SERVICE = 'odoo-sync-console-test';
