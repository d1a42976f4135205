import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../shared/domain/connection.js';
import type { ConnectionUsage } from '../../../shared/domain/connection-usage.js';
import { DeleteConnectionBody } from '../../../renderer/pages/connections/DeleteConnectionBody.js';
import {
  deleteConnection,
  deleteLabel,
  usagesStateOf,
  type UsagesState,
} from '../../../renderer/pages/connections/connection-delete-plan.js';
import { fakeOperations } from './fake-operations.js';

const connection = {
  id: 'conn_aaaaaaaaaa',
  name: 'Clinic Odoo',
  kind: 'odoo',
} as unknown as Connection;

const usages: ConnectionUsage[] = [
  { flowId: 'flow_a', flowName: 'Admissions', enabled: true, roles: ['target'] },
  { flowId: 'flow_b', flowName: 'Discharges', enabled: false, roles: ['source', 'target'] },
];
const loaded = (list: readonly ConnectionUsage[]): UsagesState => ({ status: 'loaded', usages: list });

function markup(state: UsagesState, error: string | null = null): string {
  return renderToStaticMarkup(
    <DeleteConnectionBody
      connection={connection}
      usages={state}
      error={error}
      busy={false}
      onConfirm={() => undefined}
      onClose={() => undefined}
    />,
  );
}

describe('delete connection dialog (issue 14)', () => {
  it('names the explicit choice: a plain delete with no flows, pausing them with some', () => {
    expect(deleteLabel(loaded([]))).toBe('Delete connection');
    expect(deleteLabel(loaded(usages.slice(0, 1)))).toBe('Pause this flow and delete');
    expect(deleteLabel(loaded(usages))).toBe('Pause these 2 flows and delete');
    expect(deleteLabel({ status: 'loading' })).toBe('Delete connection');
    expect(deleteLabel(usagesStateOf({ ok: false, error: { code: 'internal', message: 'x' } }))).toBe(
      'Delete connection',
    );
  });

  it('asks the server to pause flows only when the operator was shown them', async () => {
    const { ops, calls } = fakeOperations({
      'connections.delete': () => ({ ok: true, value: { id: connection.id, pausedFlows: [] } }),
    });
    await deleteConnection(ops, connection.id, loaded(usages));
    await deleteConnection(ops, connection.id, loaded([]));
    await deleteConnection(ops, connection.id, { status: 'failed', message: 'offline' });
    expect(calls.map((call) => call.input)).toEqual([
      { id: connection.id, pauseFlows: true },
      { id: connection.id },
      { id: connection.id },
    ]);
  });

  it('lists the flows that use the connection before the operator confirms', () => {
    const html = markup(loaded(usages));
    expect(html).toContain('2 flows use Clinic Odoo');
    expect(html).toContain('aria-label="Flows that use Clinic Odoo"');
    expect(html).toContain('<li>Admissions — target</li>');
    expect(html).toContain('<li>Discharges — source and target (already disabled)</li>');
    expect(html).toContain('Pause these 2 flows and delete');
  });

  it('is the plain delete with no flows, and shows a refusal in place', () => {
    const html = markup(loaded([]), '1 flow uses this connection: Admissions.');
    expect(html).not.toContain('Flows that use');
    expect(html).toContain('>Delete connection<');
    expect(html).toContain('1 flow uses this connection: Admissions.');
  });

  it('says it is still checking, and keeps the button disabled meanwhile', () => {
    const html = markup({ status: 'loading' });
    expect(html).toContain('Checking which flows use it…');
    expect(html).toMatch(/<button[^>]*disabled/);
  });
});
