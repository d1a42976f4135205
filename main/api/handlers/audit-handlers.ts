import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type AuditHandlers = {
  readonly 'audit.list': Handler<'audit.list'>;
  readonly 'audit.verify': Handler<'audit.verify'>;
  readonly 'store.backup': Handler<'store.backup'>;
};

export function auditHandlers(services: Services): AuditHandlers {
  return {
    'audit.list': (input) => services.store.audit.list(input),
    // Both walk or copy the whole store: they run in the store worker, off the serving thread.
    'audit.verify': async (_input, call) => {
      const result = await services.heavy.verifyAudit();
      call.audit.detail = result.ok
        ? { ok: true, rows: result.rows }
        : { ok: false, brokenSeq: result.brokenSeq };
      return result;
    },
    'store.backup': async (_input, call) => {
      const result = await services.heavy.backup('on-demand');
      call.audit.detail = { path: result.path, bytes: result.bytes };
      return result;
    },
  };
}
