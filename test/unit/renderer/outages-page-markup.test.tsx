import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { Role } from '../../../shared/contract/roles.js';
import type { DowntimeProcedure } from '../../../shared/domain/outage.js';
import { ClientContext } from '../../../renderer/app/client-context.js';
import { OutageBanner } from '../../../renderer/components/OutageBanner.js';
import { OutagesPage } from '../../../renderer/pages/outages/OutagesPage.js';
import { outagesStore } from '../../../renderer/stores/outages-store.js';
import { sessionStore } from '../../../renderer/stores/session-store.js';
import { fakeOperations } from './fake-operations.js';
import { breakerOf, degradedOverview, drainOf, outboxOf } from './outage-fixtures.js';

const PROCEDURE: DowntimeProcedure = {
  generatedAt: '2026-01-01T05:00:00.000Z',
  exposure: degradedOverview().exposure,
  sections: [
    {
      connectionId: 'conn_odoo000001',
      name: 'Odoo finance',
      kind: 'odoo',
      state: 'degraded',
      affectedFlows: ['Supplies to invoices'],
      steps: [
        { who: 'IT staff', what: 'Switch Odoo finance to degraded mode with a reason' },
        { who: 'Ward staff', what: 'Enter supplies used through the manual fallback form' },
      ],
    },
  ],
};

function render(node: React.JSX.Element, roles: readonly Role[]): string {
  sessionStore.setState({ phase: 'active', roles, operator: null });
  const client: OscBridge = { operations: fakeOperations({}).ops, onEvent: () => () => undefined };
  return renderToStaticMarkup(<ClientContext.Provider value={client}>{node}</ClientContext.Provider>);
}

const buttons = (html: string) =>
  [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, ''));

beforeEach(() => {
  vi.spyOn(outagesStore, 'getInitialState').mockImplementation(() => outagesStore.getState());
  vi.spyOn(sessionStore, 'getInitialState').mockImplementation(() => sessionStore.getState());
  const overview = degradedOverview();
  outagesStore.setState({
    loaded: true,
    overview: {
      ...overview,
      connections: [
        { ...overview.connections[0]!, breaker: breakerOf({ state: 'closed', nextProbeAt: null }) },
        ...overview.connections.slice(1),
      ],
      outbox: [outboxOf({ drain: drainOf() })],
    },
    procedure: PROCEDURE,
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  outagesStore.getState().reset();
  sessionStore.setState({ phase: 'starting', roles: [], operator: null });
});

describe('outages page by role', () => {
  it('gives an administrator the switch, the replay controls, the outbox contents and the print button', () => {
    const html = render(<OutagesPage />, ['administrator']);
    expect(html).toContain('<h1 id="outages-heading">Outages</h1>');
    for (const heading of ['Connections', 'Outbox', 'Manual fallback', 'Downtime procedure'])
      expect(html).toContain(`>${heading}</h2>`);
    expect(buttons(html)).toEqual(
      expect.arrayContaining([
        'Switch degraded mode off',
        'Pause replay',
        'Show outbox of Supplies to invoices',
        'Print procedure',
      ]),
    );
    expect(html).toContain('On since');
    expect(html).toContain('Planned upgrade');
    expect(html).toMatch(/<progress[^>]*max="400"[^>]*value="120"|<progress[^>]*value="120"[^>]*max="400"/);
    expect(html).toContain('120 of 400 sent · 35 writes/s · about 8 s left');
    expect(html).toContain('Breaker history (1)');
    expect(html).toContain('<strong>IT staff:</strong> Switch Odoo finance to degraded mode with a reason');
  });

  it('shows a viewer the state without switches, payloads, replay controls or the fallback form', () => {
    const html = render(<OutagesPage />, ['viewer']);
    const labels = buttons(html);
    expect(html).toContain('Supplies to invoices');
    expect(labels).not.toContain('Switch degraded mode off');
    expect(labels).not.toContain('Switch to degraded mode');
    expect(labels).not.toContain('Pause replay');
    expect(labels.some((label) => label.startsWith('Show outbox'))).toBe(false);
    expect(html).not.toContain('>Manual fallback</h2>');
    expect(labels).toContain('Print procedure');
  });

  it('offers a finance user the fallback section but not the degraded switch', () => {
    const html = render(<OutagesPage />, ['finance']);
    expect(html).toContain('>Manual fallback</h2>');
    expect(buttons(html)).not.toContain('Switch degraded mode off');
  });
});

describe('outage banner', () => {
  it('names the connection, the exposure and links the Outages page, in a polite live region', () => {
    const html = render(<OutageBanner showLink />, ['viewer']);
    expect(html).toContain('role="status" aria-live="polite"');
    expect(html).toContain('Odoo finance: degraded mode since');
    expect(html).toContain('42 writes waiting in the outbox; data-loss exposure:');
    expect(html).toContain('<a class="outage-banner-link" href="#/outages">Outage details</a>');
  });

  it('keeps an empty live region while all is well', () => {
    outagesStore.setState({
      overview: {
        connections: [],
        outbox: [],
        exposure: { down: [], waiting: 0, held: 0, oldestQueuedAt: null },
      },
    });
    expect(render(<OutageBanner showLink />, ['viewer'])).toBe(
      '<div class="outage-banner-region" role="status" aria-live="polite"></div>',
    );
  });
});
