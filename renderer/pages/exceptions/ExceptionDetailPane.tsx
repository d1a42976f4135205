import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import {
  UNSETTLED_EXCEPTION_STATES,
  type ExceptionDetail,
  type ExceptionSummary,
} from '../../../shared/domain/exception.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { TextAreaInput } from '../../components/TextAreaInput.js';
import { TextInput } from '../../components/TextInput.js';
import type { RecheckAnswer, ReplayAnswer } from '../../stores/exceptions-store.js';
import {
  CLASS_LABELS,
  lineageHref,
  payloadLines,
  plainError,
  STATE_LABELS,
  stateTone,
} from './exception-display.js';
import { FixActions } from './FixActions.js';
import { attemptsText, nextRetryText, recheckAnswerText, retryAnswerText } from './fix-wording.js';
import { ReplayEditor } from './ReplayEditor.js';

export type ActionForm = 'none' | 'note' | 'ignore' | 'assign' | 'replay' | 'map-code';

export interface DetailActions {
  readonly form: ActionForm;
  readonly onForm: (form: ActionForm) => void;
  /** Each answers an error message, or null when the server accepted it. */
  readonly assign: (assignee: string | null) => Promise<string | null>;
  readonly note: (text: string) => Promise<string | null>;
  readonly ignore: (reason: string) => Promise<string | null>;
  /** Retry this one exception; edit and replay it with an edited source record. */
  readonly retry: () => Promise<ReplayAnswer>;
  readonly replay: (record: Record<string, unknown>) => Promise<ReplayAnswer>;
  /** A reconciliation difference: check the flow's reconciliation again (nothing to resend). */
  readonly recheck: () => Promise<RecheckAnswer>;
  readonly me: string | null;
}

interface ExceptionDetailPaneProps {
  readonly summary: ExceptionSummary;
  /** The payloads and history; null for viewers (never asked for) and while loading. */
  readonly detail: ExceptionDetail | null;
  readonly flowName: string;
  /** The flow's mapping, for the map-this-code fix's suggestions. */
  readonly mappingId: string | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** Null for roles that may not act: no buttons, and no payloads (viewers cannot read them). */
  readonly actions: DetailActions | null;
}

function Payload({ title, payload, field }: { title: string; payload: unknown; field: string }) {
  const lines = payloadLines(payload, field);
  return (
    <section className="exception-payload" aria-label={title}>
      <h3 className="panel-subheading">{title}</h3>
      {lines.length === 0 ? (
        <p className="muted">None (the record failed before this step).</p>
      ) : (
        <pre className="payload-json">
          {lines.map((line, index) =>
            line.highlighted ? (
              <mark key={index} className="payload-highlight">
                {line.text}
                {'\n'}
              </mark>
            ) : (
              <span key={index}>
                {line.text}
                {'\n'}
              </span>
            ),
          )}
        </pre>
      )}
    </section>
  );
}

interface ActionFormsProps {
  readonly actions: DetailActions;
  readonly summary: ExceptionSummary;
  readonly detail: ExceptionDetail | null;
}

function ActionForms({ actions, summary, detail }: ActionFormsProps) {
  const [text, setText] = useState('');
  const [assignee, setAssignee] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unsettled = UNSETTLED_EXCEPTION_STATES.includes(summary.state);

  function answered(answer: ReplayAnswer) {
    setError(answer.ok ? null : answer.error);
    setDone(answer.ok ? retryAnswerText(answer.started) : null);
  }

  function rechecked(answer: RecheckAnswer) {
    setError(answer.ok ? null : answer.error);
    setDone(answer.ok ? recheckAnswerText(answer.differencesFound, answer.state) : null);
  }

  async function submit(event: SubmitEvent<HTMLFormElement>, call: () => Promise<string | null>) {
    event.preventDefault();
    setBusy(true);
    const failure = await call();
    setBusy(false);
    setError(failure);
    if (failure === null) {
      setText('');
      setAssignee('');
      actions.onForm('none');
    }
  }

  return (
    <div className="exception-actions">
      <div className="form-actions">
        {actions.me !== null && (
          <Button className="button" onPress={() => void actions.assign(actions.me).then(setError)}>
            Assign to me
          </Button>
        )}
        <Button className="button" onPress={() => actions.onForm('assign')}>
          Assign to…
        </Button>
        <Button className="button" onPress={() => actions.onForm('note')}>
          Add note
        </Button>
        <Button className="button" onPress={() => actions.onForm('ignore')}>
          Ignore…
        </Button>
        {unsettled && summary.stage === 'reconcile' && (
          <Button
            className="button"
            isPending={busy}
            onPress={() => {
              setBusy(true);
              void actions.recheck().then((answer) => {
                setBusy(false);
                rechecked(answer);
              });
            }}
          >
            Check again
          </Button>
        )}
        {unsettled && summary.stage !== 'reconcile' && (
          <>
            <Button
              className="button"
              isPending={busy}
              onPress={() => {
                setBusy(true);
                void actions.retry().then((answer) => {
                  setBusy(false);
                  answered(answer);
                });
              }}
            >
              Retry
            </Button>
            <Button className="button" isDisabled={detail === null} onPress={() => actions.onForm('replay')}>
              Edit and replay…
            </Button>
          </>
        )}
      </div>
      {actions.form === 'assign' && (
        <form
          noValidate
          className="form"
          aria-label="Assign to an operator"
          onSubmit={(e) =>
            void submit(e, () => actions.assign(assignee.trim() === '' ? null : assignee.trim()))
          }
        >
          <TextInput
            label="Operator"
            name="assignee"
            value={assignee}
            onChange={setAssignee}
            description="Their username; leave empty to unassign"
            autoFocus
          />
          <Button type="submit" className="button button-primary" isPending={busy}>
            Assign
          </Button>
        </form>
      )}
      {actions.form === 'note' && (
        <form
          noValidate
          className="form"
          aria-label="Write a note"
          onSubmit={(e) => void submit(e, () => actions.note(text))}
        >
          <TextAreaInput label="Note" name="note" value={text} onChange={setText} rows={3} />
          <Button type="submit" className="button button-primary" isPending={busy}>
            Save note
          </Button>
        </form>
      )}
      {actions.form === 'ignore' && (
        <form
          noValidate
          className="form"
          aria-label="Ignore with a reason"
          onSubmit={(e) => void submit(e, () => actions.ignore(text))}
        >
          <TextInput
            label="Reason"
            name="reason"
            value={text}
            onChange={setText}
            description="Required: why this record needs no fix (kept as evidence)"
            isRequired
            autoFocus
          />
          <Button type="submit" className="button button-danger" isPending={busy}>
            Ignore with this reason
          </Button>
        </form>
      )}
      {unsettled && detail !== null && actions.form === 'replay' && (
        <ReplayEditor
          key={detail.id}
          detail={detail}
          isOpen
          onClose={() => actions.onForm('none')}
          replay={actions.replay}
          onReplayed={(answer) => {
            answered(answer);
            actions.onForm('none');
          }}
        />
      )}
      {error !== null && <Alert tone="error">{error}</Alert>}
      {done !== null && <Alert tone="success">{done}</Alert>}
    </div>
  );
}

/**
 * One exception: what failed, why in plain words (the target's own text too), and for the roles
 * that act the source and mapped payloads (the failing field highlighted), attempts, notes and the
 * actions. Viewers get the summary only: payloads may hold patient data.
 */
export function ExceptionDetailPane({
  summary,
  detail,
  flowName,
  mappingId,
  loading,
  error,
  actions,
}: ExceptionDetailPaneProps) {
  return (
    <aside className="panel exception-detail" aria-label="Exception detail">
      <h2 className="panel-heading">
        {summary.sourceType} {summary.sourceId}
      </h2>
      <p>
        <span className={`badge badge-${stateTone(summary.state)}`}>{STATE_LABELS[summary.state]}</span>{' '}
        {CLASS_LABELS[summary.class]} · {flowName} · stage {summary.stage} · assigned to{' '}
        {summary.assignee ?? 'nobody'}
      </p>
      <p className="exception-attempts-line" data-state={summary.state}>
        {attemptsText(summary.state, summary.attempts)}
        {summary.state === 'retrying' && nextRetryText(summary.nextAttemptAt) !== null && (
          <>
            {' · '}
            <span title={summary.nextAttemptAt === null ? undefined : absoluteTime(summary.nextAttemptAt)}>
              {nextRetryText(summary.nextAttemptAt)}
            </span>
          </>
        )}
      </p>
      <p className="exception-plain">{plainError(summary)}</p>
      <p className="muted">
        Target says: <code>{summary.errorCode}</code> {summary.errorMessage}
      </p>
      {summary.resolution !== null && <p>Resolution: {summary.resolution}</p>}
      <p>
        <a href={lineageHref(summary)}>Lineage of this record</a>
      </p>
      {actions === null ? (
        <p className="muted">Payloads and actions are for finance users, IT staff and administrators.</p>
      ) : (
        <>
          <ActionForms key={summary.id} actions={actions} summary={summary} detail={detail} />
          <FixActions
            key={`fix-${summary.id}`}
            summary={summary}
            mappingId={mappingId}
            mapFormOpen={actions.form === 'map-code'}
            onMapForm={(open) => actions.onForm(open ? 'map-code' : 'none')}
          />
          {loading && detail === null && <p className="muted">Loading the payloads…</p>}
          {error !== null && <Alert tone="error">{error}</Alert>}
          {detail !== null && (
            <>
              <Payload title="Source payload" payload={detail.sourcePayload} field={detail.errorField} />
              {detail.latestSourceVersion !== detail.sourceVersion && (
                <Payload
                  title="Latest source version"
                  payload={detail.latestSourcePayload}
                  field={detail.errorField}
                />
              )}
              <Payload title="Mapped payload" payload={detail.mappedPayload} field={detail.errorField} />
              <section aria-label="Attempts">
                <h3 className="panel-subheading">Attempts</h3>
                <ol className="exception-attempts">
                  {detail.attemptHistory.map((attempt) => (
                    <li key={attempt.id}>
                      <span title={absoluteTime(attempt.at)}>{absoluteTime(attempt.at)}</span> ·{' '}
                      {attempt.outcome} {attempt.runId === null ? '' : `in run ${attempt.runId}`}{' '}
                      {attempt.errorCode === null ? '' : `· ${attempt.errorCode}`}
                    </li>
                  ))}
                </ol>
              </section>
              <section aria-label="Notes">
                <h3 className="panel-subheading">Notes</h3>
                {detail.notes.length === 0 ? (
                  <p className="muted">No notes yet.</p>
                ) : (
                  <ul className="exception-notes">
                    {detail.notes.map((note) => (
                      <li key={note.id}>
                        <strong>{note.author}</strong> <span className="muted">{absoluteTime(note.at)}</span>
                        <p>{note.text}</p>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </>
          )}
        </>
      )}
    </aside>
  );
}
