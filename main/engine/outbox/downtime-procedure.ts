import type {
  ConnectionOutageView,
  DowntimeProcedure,
  OutagesOverview,
} from '../../../shared/domain/outage.js';

type Section = DowntimeProcedure['sections'][number];
type Step = Section['steps'][number];

/** Who does a step, as the printed procedure names them (the console's roles, in plain words). */
export const PROCEDURE_ROLES = {
  administrator: 'Administrator',
  itStaff: 'IT staff',
  finance: 'Finance',
  fallbackStaff: 'Staff allowed to enter fallback transactions (administrators; others as the flow grants)',
} as const;

const KIND_LABELS: Readonly<Record<string, string>> = {
  odoo: 'Odoo',
  fhir: 'FHIR server',
  'webhook-in': 'inbound webhook',
  'webhook-out': 'outbound webhook',
  'csv-drop': 'CSV drop folder',
};

/**
 * The downtime procedure (HIPAA §164.308(a)(7) asks for an emergency-mode operation plan), written
 * from the configuration and the current state: one section per connection, in the order of the
 * connections list, with ordered steps saying who does what and naming the flows it affects. The
 * wording depends only on the configuration, so the printed plan changes when the setup does.
 */
export function downtimeProcedure(overview: OutagesOverview, generatedAt: Date): DowntimeProcedure {
  return {
    generatedAt: generatedAt.toISOString(),
    exposure: overview.exposure,
    sections: overview.connections.map((connection) => section(connection, overview)),
  };
}

function section(connection: ConnectionOutageView, overview: OutagesOverview): Section {
  return {
    connectionId: connection.connectionId,
    name: connection.name,
    kind: connection.kind,
    state: stateOf(connection),
    affectedFlows: unique(connection.flows.map((flow) => flow.name)),
    steps: stepsFor(connection, overview),
  };
}

function stateOf(connection: ConnectionOutageView): Section['state'] {
  if (connection.degraded !== null) return 'degraded';
  if (connection.breaker !== null && connection.breaker.state !== 'closed') return 'down';
  return 'up';
}

function stepsFor(connection: ConnectionOutageView, overview: OutagesOverview): Step[] {
  const name = `${connection.name} (${KIND_LABELS[connection.kind] ?? connection.kind})`;
  const asSource = unique(connection.flows.filter((f) => f.role === 'source').map((f) => f.name));
  const asTarget = connection.flows.filter((f) => f.role === 'target');
  const targetFlows = unique(asTarget.map((f) => f.name));
  if (asSource.length === 0 && targetFlows.length === 0) {
    return [
      {
        who: PROCEDURE_ROLES.itStaff,
        what: `No flow reads from or writes to ${name}: its outage stops no synchronisation. Restore it; nothing waits on it.`,
      },
    ];
  }
  const steps: Step[] = [
    {
      who: PROCEDURE_ROLES.administrator,
      what: [
        `On the Outages page, switch ${name} to degraded mode and give the reason (what is down, since when, the ticket).`,
        targetFlows.length > 0
          ? `The writes of ${flowList(targetFlows)} then wait in the outbox instead of reaching it; nothing is lost.`
          : '',
        asSource.length > 0
          ? `${capital(flowList(asSource))} ${agree(asSource, 'waits and keeps its', 'wait and keep their')} place in it; nothing is read until it is back.`
          : '',
        'The circuit breaker holds writes by itself after repeated failures; degraded mode holds them until you switch it off.',
      ]
        .filter(Boolean)
        .join(' '),
    },
  ];
  if (asSource.length > 0) {
    steps.push({
      who: PROCEDURE_ROLES.fallbackStaff,
      what: `Record what happens meanwhile with the manual fallback form of ${flowList(asSource)} (Outages page), saying why: each entry is mapped and checked like a record from ${connection.name} and sent under a provisional key.`,
    });
  }
  if (targetFlows.length > 0) {
    const sources = sourcesOf(asTarget, overview, connection.connectionId);
    steps.push({
      who: PROCEDURE_ROLES.fallbackStaff,
      what: `Keep working in ${sources.length > 0 ? sources.join(', ') : 'the source systems'}: what is recorded there waits in the outbox of ${flowList(targetFlows)}. What is recorded nowhere else goes in with the manual fallback form of that flow, saying why; it waits in the outbox too.`,
    });
  }
  steps.push(
    {
      who: PROCEDURE_ROLES.itStaff,
      what: `Test ${connection.name} on the Connections page until it answers again and tell an administrator. Meanwhile the banner shows what waits and since when: the data-loss exposure of this outage.`,
    },
    {
      who: PROCEDURE_ROLES.administrator,
      what: [
        `When ${connection.name} answers again, switch degraded mode off on the Outages page.`,
        targetFlows.length > 0
          ? `The outbox of ${flowList(targetFlows)} is sent in order: watch the replay's progress until nothing waits.`
          : '',
        asSource.length > 0
          ? `${capital(flowList(asSource))} ${agree(asSource, 'reads on from where it', 'read on from where they')} stopped; source events matching fallback entries are not posted twice.`
          : '',
      ]
        .filter(Boolean)
        .join(' '),
    },
    {
      who: PROCEDURE_ROLES.finance,
      what: [
        'In the Exceptions inbox, review',
        asSource.length > 0
          ? 'the fallback entries whose source event differed (flagged as differences)'
          : '',
        asSource.length > 0 && targetFlows.length > 0 ? 'and' : '',
        targetFlows.length > 0 ? `the writes ${connection.name} refused during the replay` : '',
      ]
        .filter(Boolean)
        .join(' ')
        .concat('.'),
    },
  );
  return steps;
}

/** The source connections of the flows writing to this one (by the other side of each flow). */
function sourcesOf(flows: ConnectionOutageView['flows'], overview: OutagesOverview, self: string): string[] {
  const ids = new Set(flows.map((flow) => flow.flowId));
  return unique(
    overview.connections
      .filter((other) => other.connectionId !== self)
      .filter((other) => other.flows.some((flow) => flow.role === 'source' && ids.has(flow.flowId)))
      .map((other) => other.name),
  );
}

function flowList(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length === 1) return `flow ${quoted[0] ?? ''}`;
  return `flows ${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1] ?? ''}`;
}

/** The verb phrase for one flow or for several. */
function agree(names: readonly string[], one: string, several: string): string {
  return names.length === 1 ? one : several;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
