import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import type { ExceptionDetail } from '../../../shared/domain/exception.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { NativeField } from '../../components/NativeField.js';
import type { ReplayAnswer } from '../../stores/exceptions-store.js';
import { payloadLines } from './exception-display.js';
import { AddFieldForm } from './AddFieldForm.js';
import { LeafFieldsForm } from './LeafFieldsForm.js';
import {
  buildRecord,
  leafFields,
  recordFromJson,
  refusalReasons,
  textsOf,
  type LeafField,
} from './record-fields.js';

interface ReplayEditorProps {
  readonly detail: ExceptionDetail;
  readonly isOpen: boolean;
  readonly onClose: () => void;
  readonly replay: (record: Record<string, unknown>) => Promise<ReplayAnswer>;
  /** Told the answer once the server queued the replay. */
  readonly onReplayed: (answer: ReplayAnswer & { ok: true }) => void;
}

/** The record to start from: the newest failing version when the source sent one, else the original. */
function startingRecord(detail: ExceptionDetail): unknown {
  return detail.latestSourceVersion !== detail.sourceVersion && detail.latestSourcePayload !== null
    ? detail.latestSourcePayload
    : detail.sourcePayload;
}

interface EditorState {
  readonly base: unknown;
  readonly fields: readonly LeafField[];
  readonly texts: Readonly<Record<string, string>>;
}

function editorOf(record: unknown): EditorState {
  const fields = leafFields(record);
  return { base: record, fields, texts: textsOf(fields) };
}

/**
 * Edit and replay one exception: the source record as a form of its fields (or as JSON text), the
 * original beside it unchanged. The server checks the edit with the active mapping; a refusal shows
 * its reasons here and keeps every edit, so the user corrects and tries again.
 */
export function ReplayEditor({ detail, isOpen, onClose, replay, onReplayed }: ReplayEditorProps) {
  const [editor, setEditor] = useState<EditorState>(() => editorOf(startingRecord(detail)));
  const [json, setJson] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Readonly<Record<string, string>>>({});
  const [jsonError, setJsonError] = useState<string | undefined>(undefined);
  const [refusal, setRefusal] = useState<readonly string[] | null>(null);
  const [busy, setBusy] = useState(false);

  /** The edited record from whichever view is open, or null after showing why it cannot be read. */
  function currentRecord(): Record<string, unknown> | null {
    if (json !== null) {
      const parsed = recordFromJson(json);
      setJsonError(parsed.ok ? undefined : parsed.error);
      return parsed.ok ? parsed.record : null;
    }
    const built = buildRecord(editor.base, editor.fields, editor.texts);
    setFieldErrors(built.ok ? {} : built.errors);
    return built.ok ? built.record : null;
  }

  function toggleJson() {
    const record = currentRecord();
    if (record === null) return;
    if (json === null) setJson(JSON.stringify(record, null, 2));
    else {
      setEditor(editorOf(record));
      setJson(null);
    }
  }

  function addField(field: LeafField) {
    setEditor({
      ...editor,
      fields: [...editor.fields, field],
      texts: { ...editor.texts, [field.label]: field.text },
    });
  }

  function removeField(label: string) {
    const { [label]: _removed, ...texts } = editor.texts;
    setEditor({ ...editor, fields: editor.fields.filter((field) => field.label !== label), texts });
    const { [label]: _error, ...errors } = fieldErrors;
    setFieldErrors(errors);
  }

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const record = currentRecord();
    if (record === null) return;
    setBusy(true);
    const answer = await replay(record);
    setBusy(false);
    if (answer.ok) {
      setRefusal(null);
      onReplayed(answer);
    } else setRefusal(refusalReasons(answer.error));
  }

  const original = payloadLines(detail.sourcePayload, detail.errorField);
  return (
    <FormDialog title="Edit and replay" isOpen={isOpen} onClose={onClose} size="wide">
      <form
        noValidate
        className="replay-editor"
        aria-label="Edited source record"
        onSubmit={(e) => void submit(e)}
      >
        <p className="muted">
          The edited record becomes a new version sent by a replay run; the original stays as it was received.
          The server checks it with the flow&apos;s active mapping first.
        </p>
        <div className="replay-columns">
          <section aria-label="Original record (unchanged)">
            <h3 className="panel-subheading">Original record (unchanged)</h3>
            <pre className="payload-json" aria-readonly="true">
              {original.map((line) => line.text).join('\n')}
            </pre>
          </section>
          <section aria-label="Edited record">
            <div className="replay-heading">
              <h3 className="panel-subheading">Edited record</h3>
              <button
                type="button"
                className="button"
                aria-pressed={json !== null}
                title="Edit the whole record as JSON text"
                onClick={toggleJson}
              >
                JSON
              </button>
            </div>
            {json === null ? (
              <>
                <LeafFieldsForm
                  fields={editor.fields}
                  texts={editor.texts}
                  errors={fieldErrors}
                  onChange={(label, text) =>
                    setEditor({ ...editor, texts: { ...editor.texts, [label]: text } })
                  }
                  onRemove={removeField}
                />
                <AddFieldForm base={editor.base} fields={editor.fields} onAdd={addField} />
              </>
            ) : (
              <NativeField label="Record as JSON" error={jsonError}>
                {(control) => (
                  <textarea
                    {...control}
                    className="field-input code-input"
                    rows={18}
                    spellCheck={false}
                    value={json}
                    onChange={(event) => setJson(event.target.value)}
                  />
                )}
              </NativeField>
            )}
          </section>
        </div>
        {refusal !== null && (
          <Alert tone="error">
            The server refused the edited record (your edits are kept):
            <ul className="refusal-reasons">
              {refusal.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </Alert>
        )}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Replay edited record
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
