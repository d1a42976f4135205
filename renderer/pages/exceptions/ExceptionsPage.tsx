import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { exceptionFixesStore } from '../../stores/exception-fixes-store.js';
import { exceptionsStore, waitingCount } from '../../stores/exceptions-store.js';
import { flowsStore } from '../../stores/flows-store.js';
import { sessionStore } from '../../stores/session-store.js';
import { BulkBar } from './BulkBar.js';
import { ExceptionDetailPane, type ActionForm, type DetailActions } from './ExceptionDetailPane.js';
import { ExceptionFilters } from './ExceptionFilters.js';
import { ExceptionGroups } from './ExceptionGroups.js';
import { ExceptionList } from './ExceptionList.js';
import { HeldBatches } from './HeldBatches.js';
import { retryAnswerText } from './fix-wording.js';
import { TRIAGE_KEYS, triageCommand } from './triage-keys.js';

/**
 * The exceptions inbox: every record that could not go through, to settle one by one or in bulk.
 * A finance user's home page. Viewers see the lists and counts; payloads and actions are for the
 * roles the contract lets act (the server checks each call again).
 */
export function ExceptionsPage() {
  const ops = useOps();
  const inbox = useStore(exceptionsStore);
  const flows = useStore(flowsStore, (state) => state.flows);
  const me = useStore(sessionStore, (state) => state.operator?.username ?? null);
  const canAct = useCan('exceptions.assign');
  const canRead = useCan('exceptions.get');
  const canFixes = useCan('exceptions.fixes');
  const activeFixes = useStore(exceptionFixesStore, (state) => state.active);
  const [form, setForm] = useState<ActionForm>('none');
  const [message, setMessage] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const store = exceptionsStore.getState;

  useEffect(() => {
    void store().load(ops);
    void store().loadCounts(ops);
    if (!flowsStore.getState().loaded) void flowsStore.getState().load(ops);
  }, [ops, store]);

  useEffect(() => {
    if (canFixes) void exceptionFixesStore.getState().load(ops);
  }, [ops, canFixes]);

  const selected = inbox.items.find((item) => item.id === inbox.selectedId) ?? null;

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      // Keys pressed inside a dialog (the replay editor) belong to it, never to the list behind.
      if (event.target instanceof Element && event.target.closest('[role="dialog"]') !== null) return;
      const target = event.target instanceof Element ? event.target.tagName : '';
      const press = {
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        targetTag: target,
      };
      const command = triageCommand(press, canAct && canRead);
      const id = store().selectedId;
      if (command === null) return;
      event.preventDefault();
      if (command.kind === 'move') {
        // A form opened for one exception must not act on the next one.
        setForm('none');
        store().move(command.delta);
        return;
      }
      if (id === null) return;
      if (command.kind === 'assign-to-me') {
        if (me !== null) void store().assign(ops, id, me).then(setMessage);
        return;
      }
      if (command.kind === 'retry') {
        void store()
          .retry(ops, { ids: [id] })
          .then((answer) => {
            setMessage(answer.ok ? null : answer.error);
            setNotice(answer.ok ? retryAnswerText(answer.started) : null);
          });
        return;
      }
      if (store().detail?.id !== id) void store().openDetail(ops, id);
      if (command.kind === 'ignore') setForm('ignore');
      if (command.kind === 'note') setForm('note');
      // The editor opens once the detail (the record to edit) is in.
      if (command.kind === 'replay') setForm('replay');
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [ops, canAct, canRead, me, store]);

  const flowNames = new Map(flows.map((flow) => [flow.id, flow.name]));
  const actions: DetailActions | null =
    canAct && canRead && selected !== null
      ? {
          form,
          onForm: setForm,
          me,
          assign: (assignee) => store().assign(ops, selected.id, assignee),
          note: (text) => store().note(ops, selected.id, text),
          ignore: (reason) => store().ignore(ops, selected.id, reason),
          retry: () => store().retry(ops, { ids: [selected.id] }),
          replay: (record) => store().replay(ops, selected.id, record),
          recheck: () => store().recheck(ops, selected.id, selected.flowId),
        }
      : null;

  function open(id: string) {
    store().select(id);
    setForm('none');
    if (canRead) void store().openDetail(ops, id);
  }

  return (
    <section className="page exceptions-page" aria-labelledby="exceptions-heading">
      <header className="page-header">
        <h1 id="exceptions-heading">Exceptions</h1>
        <span className="badge badge-warning" aria-label="Waiting for a person">
          {`${waitingCount(inbox.counts)} waiting`}
        </span>
        <div className="segmented" role="group" aria-label="Show">
          {/* Plain toggle buttons: aria-pressed tells which view is on. */}
          <button
            type="button"
            className="button"
            aria-pressed={inbox.mode === 'list'}
            onClick={() => void store().setMode(ops, 'list')}
          >
            List
          </button>
          <button
            type="button"
            className="button"
            aria-pressed={inbox.mode === 'groups'}
            onClick={() => void store().setMode(ops, 'groups')}
          >
            Group by signature
          </button>
        </div>
      </header>
      <p className="page-lead">
        Records that could not go through. Each stays here until a later run delivers it or someone settles
        it; every action is recorded in the audit log with its operator.
      </p>
      <HeldBatches />
      <details className="keyboard-help">
        <summary>Keyboard triage</summary>
        <dl>
          {TRIAGE_KEYS.filter((entry) => canAct || !entry.acts).map((entry) => (
            <div key={entry.keys}>
              <dt>
                <kbd>{entry.keys}</kbd>
              </dt>
              <dd>{entry.does}</dd>
            </div>
          ))}
        </dl>
      </details>
      <ExceptionFilters
        filter={inbox.filter}
        flows={flows}
        me={me}
        onChange={(patch) => void store().setFilter(ops, patch)}
      />
      {inbox.filter.signature !== undefined && (
        <p className="filter-chip">
          Showing one group: <code>{inbox.filter.signature}</code>{' '}
          <Button
            className="button button-quiet"
            onPress={() => void store().setFilter(ops, { signature: undefined })}
          >
            Show every group
          </Button>
        </p>
      )}
      {inbox.error !== null && <Alert tone="error">{inbox.error}</Alert>}
      {message !== null && <Alert tone="error">{message}</Alert>}
      {notice !== null && <Alert tone="success">{notice}</Alert>}
      {canAct && <BulkBar me={me} />}
      {inbox.mode === 'groups' ? (
        <ExceptionGroups
          groups={inbox.groups}
          fixes={activeFixes}
          canAct={canAct}
          onRetry={(signature) => store().retry(ops, { signature })}
          onAwaitReference={(signature) =>
            exceptionFixesStore.getState().retryWhenReferenced(ops, { signature })
          }
          onShow={(signature) => {
            void store()
              .setFilter(ops, { signature })
              .then(() => store().setMode(ops, 'list'));
          }}
        />
      ) : (
        <div className="exceptions-layout">
          <div className="exceptions-list">
            {inbox.items.length === 0 && !inbox.loading ? (
              <p className="empty">No exceptions match these filters.</p>
            ) : (
              <ExceptionList
                items={inbox.items}
                flowNames={flowNames}
                selectedId={inbox.selectedId}
                checked={canAct ? inbox.checked : null}
                onSelect={(id) => {
                  store().select(id);
                  setForm('none');
                }}
                onOpen={open}
                onToggle={(id) => store().toggleChecked(id)}
                onToggleAll={() =>
                  store().setChecked(
                    inbox.checked.length === inbox.items.length ? [] : inbox.items.map((item) => item.id),
                  )
                }
              />
            )}
            {inbox.nextCursor !== null && (
              <Button className="button" isPending={inbox.loading} onPress={() => void store().loadMore(ops)}>
                Load more
              </Button>
            )}
          </div>
          {selected !== null && (
            <div className="exceptions-detail">
              {canRead && inbox.detail?.id !== selected.id && (
                <Button className="button" onPress={() => open(selected.id)}>
                  Show payloads and history
                </Button>
              )}
              <ExceptionDetailPane
                summary={selected}
                detail={inbox.detail?.id === selected.id ? inbox.detail : null}
                flowName={flowNames.get(selected.flowId) ?? selected.flowId}
                mappingId={flows.find((flow) => flow.id === selected.flowId)?.mappingId ?? null}
                loading={inbox.detailLoading}
                error={inbox.detailError}
                actions={actions}
              />
            </div>
          )}
        </div>
      )}
    </section>
  );
}
