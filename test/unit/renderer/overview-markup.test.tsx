import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run } from '../../../shared/domain/run.js';
import { UNKNOWN_CREDENTIALS, type CredentialStatus } from '../../../shared/domain/connection-credentials.js';
import { ClientContext } from '../../../renderer/app/client-context.js';
import { ConnectionsTable } from '../../../renderer/pages/connections/ConnectionsTable.js';
import { OverviewView } from '../../../renderer/pages/overview/OverviewView.js';
import { fakeOperations } from './fake-operations.js';

// "Expires in N days" where people look: on the connection's row and on the overview (the landing page).
function render(node: React.ReactNode): string {
  const client: OscBridge = { operations: fakeOperations({}).ops, onEvent: () => () => undefined };
  return renderToStaticMarkup(<ClientContext.Provider value={client}>{node}</ClientContext.Provider>);
}

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000 + 3_600_000).toISOString();

function odooConnection(name: string, credentials: CredentialStatus): Connection {
  return {
    id: `conn_${name.toLowerCase().replace(/\W/g, '')}aaaaaaaaaa`,
    name,
    kind: 'odoo',
    settings: {
      kind: 'odoo',
      baseUrl: 'https://odoo.clinic.example',
      database: 'clinic',
      login: 'sync',
      authMethod: 'api-key',
      protocol: 'auto',
      externalIdModule: 'osc_sync',
      allowInsecureHttp: false,
      maxConcurrentCalls: 2,
      maxCallsPerSecond: 10,
      timeoutMs: 30_000,
    },
    secret: { isSet: true, changedAt: '2026-11-30T10:00:00Z' },
    credentials,
    createdAt: '2026-11-30T10:00:00Z',
    updatedAt: '2026-11-30T10:00:00Z',
    createdBy: 'ada',
  };
}

describe('key expiry in the console', () => {
  it('the connections table shows "API key expires in 3 days" as a warning next to the secret', () => {
    const connection = odooConnection('Clinic Odoo', {
      ...UNKNOWN_CREDENTIALS,
      keyExpiresAt: inDays(3),
      keyName: 'sync',
    });
    const none = { edit: false, setSecret: false, delete: false, test: false };
    const noop = () => undefined;
    const html = render(
      <ConnectionsTable
        connections={[connection]}
        allowed={none}
        onEdit={noop}
        onSetSecret={noop}
        onDelete={noop}
        onTest={noop}
      />,
    );
    expect(html).toMatch(/<span class="badge badge-warning"[^>]*>API key expires in 3 days<\/span>/);
  });

  it('the overview lists the connections whose keys expire or were refused, the most urgent first', () => {
    const html = render(
      <OverviewView
        now={new Date()}
        flows={null}
        connections={[
          odooConnection('Main Odoo', { ...UNKNOWN_CREDENTIALS, keyExpiresAt: inDays(40) }),
          odooConnection('Branch Odoo', {
            ...UNKNOWN_CREDENTIALS,
            keyExpiresAt: inDays(2),
            keyName: 'branch',
          }),
          odooConnection('Old Odoo', {
            ...UNKNOWN_CREDENTIALS,
            refused: {
              at: '2026-12-01T10:00:00Z',
              code: 'odoo.api-key-rejected',
              message: 'Odoo refused the key.',
            },
          }),
          odooConnection('Untested Odoo', UNKNOWN_CREDENTIALS),
        ]}
      />,
    );
    const names = [...html.matchAll(/<a href="#\/connections">([^<]+)<\/a>/g)].map((match) => match[1]);
    expect(names).toEqual(['Old Odoo', 'Branch Odoo', 'Main Odoo']);
    expect(html).toContain('access refused');
    expect(html).toContain('API key expires in 2 days');
    expect(html).toContain('API key expires in 40 days');
    expect(html).toContain('The API key &#x27;branch&#x27; expires in 2 days');
  });

  it('the overview names the flows whose last run failed, with the run error', () => {
    const flow = (id: string, name: string, enabled = true) =>
      ({ id, name, enabled, state: 'idle' }) as unknown as Flow;
    const run = (status: Run['status'], error: string | null) => ({ status, error }) as unknown as Run;
    const html = render(
      <OverviewView
        now={new Date()}
        connections={[]}
        flows={{
          flows: [flow('flow_a', 'Charges → invoices'), flow('flow_b', 'Patients', false)],
          lastRuns: {
            flow_a: run('failed', 'odoo.api-key-rejected: Odoo refused the stored API key.'),
            flow_b: run('succeeded', null),
          },
        }}
      />,
    );
    expect(html).toContain('2 flows · 0 running · 1 disabled · 1 whose last run failed');
    expect(html).toContain('<a href="#/flows">Charges → invoices</a>');
    expect(html).toContain('odoo.api-key-rejected: Odoo refused the stored API key.');
    expect(html).not.toContain('Patients</a>');
  });
});
