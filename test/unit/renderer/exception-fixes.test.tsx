import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { ExceptionFix } from '../../../shared/domain/exception-fix.js';
import { ClientContext } from '../../../renderer/app/client-context.js';
import {
  ExceptionDetailPane,
  type DetailActions,
} from '../../../renderer/pages/exceptions/ExceptionDetailPane.js';
import {
  attemptsText,
  fixStateText,
  nextRetryText,
  recheckAnswerText,
  retryAnswerText,
  valueSuggestions,
} from '../../../renderer/pages/exceptions/fix-wording.js';
import { TRIAGE_KEYS, triageCommand } from '../../../renderer/pages/exceptions/triage-keys.js';
import {
  createExceptionFixesStore,
  exceptionFixesStore,
} from '../../../renderer/stores/exception-fixes-store.js';
import { createExceptionsStore } from '../../../renderer/stores/exceptions-store.js';
import { fakeOperations } from './fake-operations.js';
import { detailOf, exceptionOf } from './exception-fixtures.js';

const NOW = new Date('2026-01-01T12:00:00Z');

function fixOf(overrides: Partial<ExceptionFix> = {}): ExceptionFix {
  return {
    id: 'fix_aaaaaaaaaa',
    kind: 'map-code',
    state: 'awaiting-approval',
    signature: 'mapping.unmapped-code|suppliedItem.code|A#',
    flowId: 'flow_aaaaaaaaaa',
    createdBy: 'fin',
    createdAt: '2026-01-01T11:00:00Z',
    updatedAt: '2026-01-01T11:00:00Z',
    mappingId: 'map_aaaaaaaaaa',
    mappingVersion: 4,
    valueMap: 'supplies',
    code: 'GLV-XL',
    mappedTo: 'glove-xl',
    progress: { total: 10_000, resolved: 0, failed: 0, pending: 10_000 },
    replayRunIds: [],
    nextAttemptAt: null,
    ...overrides,
  };
}

describe('fix wording', () => {
  it('says what a fix waits for, or how far its replay is, in plain words', () => {
    expect(fixStateText(fixOf(), NOW)).toBe('Waiting for an administrator to approve mapping v4');
    expect(fixStateText(fixOf({ state: 'awaiting-activation' }), NOW)).toBe(
      'Waiting for an administrator to activate mapping v4',
    );
    const replaying = fixOf({
      state: 'replaying',
      progress: { total: 10_000, resolved: 800, failed: 12, pending: 9188 },
    });
    expect(fixStateText(replaying, NOW)).toBe('Replaying 812 of 10,000…');
    const done = fixOf({
      state: 'done',
      progress: { total: 10_000, resolved: 10_000, failed: 0, pending: 0 },
    });
    expect(fixStateText(done, NOW)).toBe('Done: 10,000 resolved');
    const partly = fixOf({ state: 'done', progress: { total: 10, resolved: 7, failed: 3, pending: 0 } });
    expect(fixStateText(partly, NOW)).toBe('Done: 7 resolved, 3 still failing');
    const waiting = fixOf({
      kind: 'await-reference',
      state: 'waiting',
      progress: { total: 5, resolved: 0, failed: 0, pending: 5 },
      nextAttemptAt: '2026-01-01T12:04:00Z',
    });
    expect(fixStateText(waiting, NOW)).toBe(
      'Waiting for the referenced record to exist: 5 records will be retried then (next automatic retry in 4 min)',
    );
    expect(fixStateText(fixOf({ state: 'superseded' }), NOW)).toBe('Replaced by a newer fix');
  });

  it('tells when the next automatic retry is due', () => {
    expect(nextRetryText('2026-01-01T12:04:00Z', NOW)).toBe('next automatic retry in 4 min');
    expect(nextRetryText('2026-01-01T12:00:10Z', NOW)).toBe('next automatic retry is due now');
    expect(nextRetryText('2026-01-01T15:00:00Z', NOW)).toBe('next automatic retry in 3 h');
    expect(nextRetryText(null, NOW)).toBeNull();
  });

  it('says a dead exception is no longer retried by itself', () => {
    expect(attemptsText('open', 1)).toBe('1 attempt so far');
    expect(attemptsText('dead', 8)).toMatch(/^Dead after 8 attempts: the console no longer retries it/);
  });

  it("reports a retry's runs and what it skipped", () => {
    const runs = [
      { runId: 'run_a', flowId: 'flow_a', count: 800 },
      { runId: 'run_b', flowId: 'flow_b', count: 9200 },
    ];
    expect(retryAnswerText({ runs, skipped: 3 })).toBe(
      'Queued 2 replay runs for 10,000 exceptions; 3 exceptions skipped (settled already or without a stored record).',
    );
    expect(retryAnswerText({ runs: [], skipped: 1 })).toBe(
      'Nothing was retried; 1 exception skipped (settled already or without a stored record).',
    );
  });

  it('offers the distinct values a value map already holds', () => {
    expect(valueSuggestions({ A: 'glove', B: 'mask', C: 'glove' })).toEqual(['glove', 'mask']);
    expect(valueSuggestions(undefined)).toEqual([]);
  });
});

describe('keys r and e', () => {
  const press = (key: string) => ({ key, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY' });
  it('retry and edit-and-replay for the roles that act only, and are listed on the page', () => {
    expect(triageCommand(press('r'), true)).toEqual({ kind: 'retry' });
    expect(triageCommand(press('e'), true)).toEqual({ kind: 'replay' });
    expect(triageCommand(press('r'), false)).toBeNull();
    expect(triageCommand(press('e'), false)).toBeNull();
    expect(
      TRIAGE_KEYS.filter((entry) => entry.keys === 'r' || entry.keys === 'e').map((e) => e.does),
    ).toEqual(['retry it', 'edit and replay it']);
  });
});

describe('stores: retry, replay and fixes', () => {
  it('sends one exceptions.retry for every selected id, and a group by signature', async () => {
    const store = createExceptionsStore();
    const started = { runs: [{ runId: 'run_a', flowId: 'flow_a', count: 2 }], skipped: 0 };
    const { ops, calls } = fakeOperations({
      'exceptions.retry': () => ({ ok: true, value: started }),
      'exceptions.list': () => ({ ok: true, value: { items: [], nextCursor: null } }),
      'exceptions.counts': () => ({ ok: true, value: [] }),
    });
    expect(await store.getState().retry(ops, { ids: ['exc_aaaaaaaaaa', 'exc_bbbbbbbbbb'] })).toEqual({
      ok: true,
      started,
    });
    expect(await store.getState().retry(ops, { signature: 'sig' })).toMatchObject({ ok: true });
    expect(calls.filter((call) => call.name === 'exceptions.retry').map((call) => call.input)).toEqual([
      { ids: ['exc_aaaaaaaaaa', 'exc_bbbbbbbbbb'] },
      { signature: 'sig' },
    ]);
  });

  it("gives back the server's refusal of an edited record", async () => {
    const store = createExceptionsStore();
    const { ops } = fakeOperations({
      'exceptions.replay': () => ({ ok: false, error: { code: 'invalid-input', message: 'does not pass' } }),
    });
    expect(await store.getState().replay(ops, 'exc_aaaaaaaaaa', { a: 1 })).toEqual({
      ok: false,
      error: 'does not pass',
    });
  });

  it('maps a code and reloads the fixes of its signature; a note left empty is not sent', async () => {
    const store = createExceptionFixesStore();
    const fix = fixOf();
    const { ops, calls } = fakeOperations({
      'exceptions.mapCode': () => ({ ok: true, value: fix }),
      'exceptions.fixes': () => ({ ok: true, value: [fix] }),
    });
    expect(await store.getState().mapCode(ops, 'exc_aaaaaaaaaa', 'glove-xl', '  ')).toEqual({
      ok: true,
      fix,
    });
    expect(calls[0]).toEqual({
      name: 'exceptions.mapCode',
      input: { id: 'exc_aaaaaaaaaa', value: 'glove-xl' },
    });
    expect(store.getState().active).toEqual([fix]);
    expect(store.getState().forSignature).toEqual({ signature: fix.signature, fixes: [fix] });
  });
});

describe('detail pane actions', () => {
  beforeEach(() => {
    vi.spyOn(exceptionFixesStore, 'getInitialState').mockImplementation(() => exceptionFixesStore.getState());
  });
  afterEach(() => {
    vi.restoreAllMocks();
    exceptionFixesStore.getState().reset();
  });

  function render(summary = exceptionOf(), actions: DetailActions | null = actionsOf()) {
    const client: OscBridge = { operations: fakeOperations({}).ops, onEvent: () => () => undefined };
    return renderToStaticMarkup(
      <ClientContext.Provider value={client}>
        <ExceptionDetailPane
          summary={summary}
          detail={detailOf({ ...summary })}
          flowName="Supplies"
          mappingId="map_aaaaaaaaaa"
          loading={false}
          error={null}
          actions={actions}
        />
      </ClientContext.Provider>,
    );
  }

  function actionsOf(): DetailActions {
    const none = () => Promise.resolve(null);
    const started = () => Promise.resolve({ ok: true as const, started: { runs: [], skipped: 0 } });
    return {
      form: 'none',
      onForm: () => undefined,
      assign: none,
      note: none,
      ignore: none,
      retry: started,
      replay: started,
      recheck: () => Promise.resolve({ ok: true as const, differencesFound: 0, state: 'resolved' as const }),
      me: 'fin',
    };
  }

  const buttons = (html: string) =>
    [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, ''));

  it('offers retry, edit and replay, and mapping the code for an unmapped code', () => {
    const html = render(
      exceptionOf({ errorMessage: 'Value map "supplies" has no entry for code "GLV-XL".' }),
    );
    expect(buttons(html)).toEqual(expect.arrayContaining(['Retry', 'Edit and replay…', 'Map this code…']));
    expect(buttons(html)).not.toContain('Retry when the referenced record exists');
  });

  it('offers checking a reconciliation difference again instead of resending a record it does not have', () => {
    const html = render(
      exceptionOf({ stage: 'reconcile', errorCode: 'reconcile.missing-in-odoo', signature: 'sig-rec' }),
    );
    expect(buttons(html)).toContain('Check again');
    expect(buttons(html)).not.toContain('Retry');
    expect(buttons(html)).not.toContain('Edit and replay…');
  });

  it('words a re-check by what became of the difference', () => {
    expect(recheckAnswerText(0, 'resolved')).toBe(
      'Checked again: this difference is gone (resolved); the reconciliation found 0 differences.',
    );
    expect(recheckAnswerText(3, 'open')).toMatch(
      /^Checked again: this difference is still there; .*3 differences/,
    );
  });

  it('offers waiting for the referenced record for a reference exception, and no second fix while one works', () => {
    const summary = exceptionOf({ errorCode: 'odoo.missing-reference', signature: 'sig-ref' });
    expect(buttons(render(summary))).toContain('Retry when the referenced record exists');
    exceptionFixesStore.setState({
      active: [
        fixOf({
          kind: 'await-reference',
          state: 'replaying',
          signature: 'sig-ref',
          progress: { total: 10, resolved: 4, failed: 0, pending: 6 },
        }),
      ],
    });
    const html = render(summary);
    expect(buttons(html)).not.toContain('Retry when the referenced record exists');
    expect(html).toContain('Replaying 4 of 10…');
    expect(html).toContain('<progress max="10" value="4"');
  });

  it('shows a map-code fix waiting for approval without a bar, and hides Map this code meanwhile', () => {
    exceptionFixesStore.setState({ active: [fixOf()] });
    const html = render(
      exceptionOf({ errorMessage: 'Value map "supplies" has no entry for code "GLV-XL".' }),
    );
    expect(html).toContain('Waiting for an administrator to approve mapping v4');
    expect(html).toContain('Map code “GLV-XL” to “glove-xl” in value map “supplies”');
    expect(html).not.toContain('<progress');
    expect(buttons(html)).not.toContain('Map this code…');
  });

  it('shows the next automatic retry and a dead exception plainly, and no action to viewers', () => {
    const retrying = render(
      exceptionOf({
        state: 'retrying',
        attempts: 2,
        nextAttemptAt: new Date(Date.now() + 4 * 60_000).toISOString(),
      }),
    );
    expect(retrying).toContain('next automatic retry in 4 min');
    const dead = render(exceptionOf({ state: 'dead', attempts: 8 }), null);
    expect(dead).toContain('Dead after 8 attempts');
    expect(buttons(dead)).toEqual([]);
  });

  it('offers no retry for a settled exception', () => {
    expect(buttons(render(exceptionOf({ state: 'resolved' })))).not.toContain('Retry');
  });
});
