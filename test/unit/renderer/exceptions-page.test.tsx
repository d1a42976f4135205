import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { Role } from '../../../shared/contract/roles.js';
import { ClientContext } from '../../../renderer/app/client-context.js';
import { plainError, payloadLines } from '../../../renderer/pages/exceptions/exception-display.js';
import { ExceptionsPage } from '../../../renderer/pages/exceptions/ExceptionsPage.js';
import { triageCommand } from '../../../renderer/pages/exceptions/triage-keys.js';
import { buildFlowRows } from '../../../renderer/pages/flows/flow-rows.js';
import { FlowsTable } from '../../../renderer/pages/flows/FlowsTable.js';
import { exceptionsStore } from '../../../renderer/stores/exceptions-store.js';
import { sessionStore } from '../../../renderer/stores/session-store.js';
import { fakeOperations } from './fake-operations.js';
import { flowOf } from './engine-fixtures.js';
import { detailOf, exceptionOf, groupOf } from './exception-fixtures.js';

const A = exceptionOf();
const B = exceptionOf({ id: 'exc_bbbbbbbbbb', sourceId: 'supply-use-no-patient', class: 'data' });

function renderPage(roles: readonly Role[]): string {
  sessionStore.setState({
    phase: 'active',
    roles,
    operator: {
      username: 'fin',
      displayName: 'Fin',
      roles,
      disabled: false,
      createdAt: '',
      lastLoginAt: null,
    },
  });
  const client: OscBridge = { operations: fakeOperations({}).ops, onEvent: () => () => undefined };
  return renderToStaticMarkup(
    <ClientContext.Provider value={client}>
      <ExceptionsPage />
    </ClientContext.Provider>,
  );
}

function buttonTexts(html: string): string[] {
  return [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((match) =>
    match[1]!.replace(/<[^>]+>/g, ''),
  );
}

beforeEach(() => {
  // Rendered to markup, zustand reads a store's initial state (the server snapshot): let it read the
  // state each test sets, as the browser would after the store changed.
  vi.spyOn(exceptionsStore, 'getInitialState').mockImplementation(() => exceptionsStore.getState());
  vi.spyOn(sessionStore, 'getInitialState').mockImplementation(() => sessionStore.getState());
});

afterEach(() => {
  vi.restoreAllMocks();
  exceptionsStore.getState().reset();
  sessionStore.setState({ phase: 'starting', roles: [], operator: null });
});

describe('exceptions page by role', () => {
  it('shows a finance user the list, the payload with the failing field highlighted, and the actions', () => {
    exceptionsStore.setState({
      loaded: true,
      items: [A, B],
      selectedId: A.id,
      detail: detailOf(),
      counts: [{ flowId: A.flowId, open: 2, dead: 1 }],
    });
    const html = renderPage(['finance']);
    expect(html).toContain('supply-use-bad-code');
    expect(html).toContain('supply-use-no-patient');
    expect(html).toContain('3 waiting');
    expect(html).toContain('Source payload');
    expect(html).toContain('<mark class="payload-highlight">    &quot;code&quot;: &quot;GLV-XL&quot;,');
    expect(html).toContain('Asked the ward for the code');
    expect(html).toContain('href="#/lineage?source=supply-use-bad-code&amp;type=SupplyDelivery"');
    expect(buttonTexts(html)).toEqual(
      expect.arrayContaining(['Assign to me', 'Assign to…', 'Add note', 'Ignore…']),
    );
    expect(html).toContain('aria-label="Select supply-use-bad-code"');
    // The keyboard help names the acting keys for those who may act.
    expect(html).toContain('ignore it (asks for the reason)');
  });

  it('shows a viewer the list and counts but no payload, no action button and no bulk selection', () => {
    exceptionsStore.setState({
      loaded: true,
      items: [A, B],
      selectedId: A.id,
      // Even a detail left in the store by someone else is not shown to a viewer.
      detail: detailOf(),
      counts: [{ flowId: A.flowId, open: 2, dead: 0 }],
    });
    const html = renderPage(['viewer']);
    expect(html).toContain('supply-use-bad-code');
    expect(html).toContain('2 waiting');
    expect(html).not.toContain('Source payload');
    expect(html).not.toContain('GLV-XL&quot;');
    expect(html).not.toContain('Asked the ward');
    expect(html).not.toContain('type="checkbox"');
    for (const action of ['Assign to me', 'Assign to…', 'Add note', 'Ignore…', 'Show payloads and history'])
      expect(buttonTexts(html)).not.toContain(action);
    expect(html).not.toContain('ignore it (asks for the reason)');
    expect(html).toContain('Payloads and actions are for finance users');
  });

  it('shows groups with their counts in group mode', () => {
    exceptionsStore.setState({ loaded: true, mode: 'groups', groups: [groupOf({ count: 12 })] });
    const html = renderPage(['finance']);
    expect(html).toContain('aria-label="Exception groups"');
    expect(html).toContain('<td class="exception-group-count">12</td>');
    expect(buttonTexts(html)).toContain('Show these 12');
  });
});

describe('keyboard triage', () => {
  const press = (key: string, targetTag = 'BODY') => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    targetTag,
  });

  it('moves with j/k and the arrows, and acts with Enter, a, n, i for roles that act', () => {
    expect(triageCommand(press('j'), true)).toEqual({ kind: 'move', delta: 1 });
    expect(triageCommand(press('ArrowDown'), true)).toEqual({ kind: 'move', delta: 1 });
    expect(triageCommand(press('k'), true)).toEqual({ kind: 'move', delta: -1 });
    expect(triageCommand(press('ArrowUp'), true)).toEqual({ kind: 'move', delta: -1 });
    expect(triageCommand(press('Enter'), true)).toEqual({ kind: 'open' });
    expect(triageCommand(press('a'), true)).toEqual({ kind: 'assign-to-me' });
    expect(triageCommand(press('n'), true)).toEqual({ kind: 'note' });
    expect(triageCommand(press('i'), true)).toEqual({ kind: 'ignore' });
  });

  it('lets viewers only move, and never takes a key typed into a field or a modified key', () => {
    expect(triageCommand(press('j'), false)).toEqual({ kind: 'move', delta: 1 });
    for (const key of ['Enter', 'a', 'n', 'i']) expect(triageCommand(press(key), false)).toBeNull();
    expect(triageCommand(press('i', 'INPUT'), true)).toBeNull();
    expect(triageCommand(press('j', 'textarea'), true)).toBeNull();
    expect(triageCommand(press('Enter', 'BUTTON'), true)).toBeNull();
    expect(triageCommand({ ...press('a'), ctrlKey: true }, true)).toBeNull();
  });
});

describe('exception display', () => {
  it('explains the error in plain words and marks only the failing field', () => {
    expect(plainError(A)).toContain('no translation for this record');
    expect(plainError(A)).toContain('suppliedItem.code');
    expect(
      plainError({ ...A, errorCode: 'rule.price-policy', errorField: '', errorMessage: 'Price 900 > 500' }),
    ).toBe('The record breaks a validation rule: Price 900 > 500');
    const marked = payloadLines({ code: 'X', item: { code: 'Y', qty: 1 } }, 'item.code').filter(
      (line) => line.highlighted,
    );
    expect(marked.map((line) => line.text.trim())).toEqual(['"code": "X",', '"code": "Y",']);
    expect(payloadLines({ code: 'X' }, '').some((line) => line.highlighted)).toBe(false);
  });
});

describe('flows page and open exceptions', () => {
  const NOW = new Date('2026-01-01T12:00:00Z');
  const noop = () => undefined;
  const allowed = { runNow: true, setEnabled: true, backfill: true, edit: true, controlRun: true };

  function table(openExceptions: number): string {
    const flow = flowOf({ freshnessObjectiveMinutes: 15, lastSuccessAt: '2026-01-01T11:58:00Z' });
    const counts = [{ flowId: flow.id, open: openExceptions, dead: 0 }];
    const rows = buildFlowRows({ flows: [flow], lastRuns: {}, progress: {}, freshness: {} }, [], NOW, counts);
    const client: OscBridge = { operations: fakeOperations({}).ops, onEvent: () => () => undefined };
    return renderToStaticMarkup(
      <ClientContext.Provider value={client}>
        <FlowsTable
          rows={rows}
          allowed={allowed}
          openFlowId={null}
          onCommand={noop}
          onBackfill={noop}
          onEdit={noop}
          onShowRuns={noop}
        />
      </ClientContext.Provider>,
    );
  }

  it('shows a fresh flow with open exceptions as needing attention, with their count', () => {
    const html = table(2);
    expect(html).toContain('>Needs attention</span>');
    expect(html).not.toContain('>Fresh</span>');
    expect(html).toContain('2 open exceptions');
    expect(html).toContain('row-warning');
  });

  it('keeps a flow without open exceptions Fresh', () => {
    const html = table(0);
    expect(html).toContain('>Fresh</span>');
    expect(html).not.toContain('Needs attention');
    expect(html).not.toContain('row-warning');
  });
});
