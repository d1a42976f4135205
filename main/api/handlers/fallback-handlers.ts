import { ApiFailure } from '../../../shared/contract/result.js';
import { ROLE_LABELS, type Role } from '../../../shared/contract/roles.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { FallbackEntriesRepo } from '../../engine/fallback/fallback-entries-repo.js';
import {
  fallbackFormOf,
  fallbackSettingsOf,
  targetTakesWrites,
  type FallbackSettings,
} from '../../engine/fallback/fallback-form.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';
import { MappingsRepo } from '../../engine/store/mappings-repo.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { callEngine } from './engine-call.js';

type FallbackHandlers = {
  readonly 'fallback.form': Handler<'fallback.form'>;
  readonly 'fallback.enter': Handler<'fallback.enter'>;
  readonly 'fallback.list': Handler<'fallback.list'>;
};

/**
 * Whether these roles may enter a flow's fallback transactions: administrators always, others when
 * the flow's fallback settings grant their role. The contract lets every role but viewers call
 * `fallback.enter`; this is the flow's own, finer check, made on the server.
 */
export function mayEnterFallback(
  roles: readonly Role[],
  settings: { readonly roles: readonly Role[] },
): boolean {
  return roles.includes('administrator') || roles.some((role) => settings.roles.includes(role));
}

/** Manual fallback (issue 11, item 3): the form and the entries are read here, entries made by the engine. */
export function fallbackHandlers(services: Services): FallbackHandlers {
  const flows = new FlowsRepo(services.store.db);
  const mappings = new MappingsRepo(services.store.db);
  const entries = new FallbackEntriesRepo(services.store.db);

  function settingsOf(flowId: string): { flow: Flow; settings: FallbackSettings } {
    const flow = flows.get(flowId);
    if (flow === null)
      throw new ApiFailure('not-found', 'That flow does not exist (it may have been deleted).');
    const active = mappings.activeVersion(flow.mappingId);
    if (active === null)
      throw new ApiFailure(
        'conflict',
        `The flow "${flow.name}" has no active mapping version: it has no fallback form until one is activated.`,
      );
    return { flow, settings: fallbackSettingsOf(flow, active.spec) };
  }

  return {
    'fallback.form': ({ flowId }) => {
      const { flow, settings } = settingsOf(flowId);
      return fallbackFormOf(flow, settings, targetTakesWrites(services.store.db, flow.targetConnectionId));
    },

    'fallback.enter': async (input, call) => {
      const operator = call.operator;
      if (operator === null) throw new ApiFailure('unauthenticated', 'Sign in first.');
      const { flow, settings } = settingsOf(input.flowId);
      call.audit.target = flow.id;
      if (!mayEnterFallback(operator.roles, settings)) {
        const granted = settings.roles
          .filter((role) => role !== 'administrator')
          .map((role) => ROLE_LABELS[role]);
        throw new ApiFailure(
          'forbidden',
          `Only administrators${granted.length > 0 ? ` and ${granted.join(', ')}` : ''} may enter fallback ` +
            `transactions for "${flow.name}". An administrator can grant your role in the flow's fallback settings.`,
        );
      }
      const entry = await callEngine(services.engine, 'enterFallback', {
        flowId: input.flowId,
        values: input.values,
        reason: input.reason,
        enteredBy: operator.username,
      });
      // The values may name patients: the audit row says who, why and which entry, the entry the rest.
      call.audit.detail = {
        entryId: entry.id,
        provisionalKey: entry.provisionalKey,
        fields: Object.keys(input.values),
        reason: input.reason,
      };
      return entry;
    },

    'fallback.list': ({ flowId, state, limit }) => entries.list({ flowId, state, limit }),
  };
}
