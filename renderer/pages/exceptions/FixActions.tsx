import { useEffect, useId, useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import type { ExceptionSummary } from '../../../shared/domain/exception.js';
import { UNMAPPED_CODE_ERROR, unmappedCodeOf } from '../../../shared/domain/exception-fix.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { NativeField } from '../../components/NativeField.js';
import { TextInput } from '../../components/TextInput.js';
import { exceptionFixesStore, fixForSignature } from '../../stores/exception-fixes-store.js';
import { FixProgress } from './FixProgress.js';
import { fixIsActive, valueSuggestions } from './fix-wording.js';

interface FixActionsProps {
  readonly summary: ExceptionSummary;
  /** The flow's mapping: its active version's value map offers the values already in use. */
  readonly mappingId: string | null;
  readonly mapFormOpen: boolean;
  readonly onMapForm: (open: boolean) => void;
}

/** The values the flow's active mapping already maps codes of this value map to. */
function useSuggestions(mappingId: string | null, valueMap: string | null, enabled: boolean): string[] {
  const ops = useOps();
  const [values, setValues] = useState<string[]>([]);
  useEffect(() => {
    if (!enabled || mappingId === null || valueMap === null) return;
    let current = true;
    void ops['mappings.get']({ id: mappingId }).then((result) => {
      if (!current || !result.ok) return;
      const active = result.value.versions.find((version) => version.version === result.value.activeVersion);
      setValues(valueSuggestions(active?.spec.valueMaps[valueMap]?.entries));
    });
    return () => {
      current = false;
    };
  }, [ops, mappingId, valueMap, enabled]);
  return values;
}

/**
 * One-click fixes for the causes a finance user cannot repair in the record itself: a code the
 * value map lacks (proposed as a new mapping version an administrator approves and activates, then
 * the blocked records replay by themselves) and a referenced record the target does not have yet.
 */
export function FixActions({ summary, mappingId, mapFormOpen, onMapForm }: FixActionsProps) {
  const ops = useOps();
  const listId = useId();
  const fixes = useStore(exceptionFixesStore);
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [valueError, setValueError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unmapped = summary.errorCode === UNMAPPED_CODE_ERROR;
  const awaitsReference = summary.class === 'reference' && !unmapped;
  const named = unmapped ? unmappedCodeOf(summary.errorMessage) : null;
  const suggestions = useSuggestions(mappingId, named?.valueMap ?? null, mapFormOpen);

  useEffect(() => {
    void exceptionFixesStore.getState().loadSignature(ops, summary.signature);
  }, [ops, summary.signature]);

  const history = fixes.forSignature?.signature === summary.signature ? fixes.forSignature.fixes : [];
  // The fix that covers this exception (its id, when the server set it), else its cause's newest one.
  const fix =
    fixes.active.find((candidate) => candidate.id === summary.fixId) ??
    fixForSignature([...fixes.active, ...history], summary.signature);
  // One fix at a time per cause: while one works, offering another would only race it.
  const working = fix !== null && fixIsActive(fix);

  async function mapCode(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value.trim() === '') return setValueError('Type the value this code stands for');
    setValueError(undefined);
    setBusy(true);
    const answer = await exceptionFixesStore.getState().mapCode(ops, summary.id, value.trim(), note);
    setBusy(false);
    setError(answer.ok ? null : answer.error);
    if (answer.ok) onMapForm(false);
  }

  async function awaitReference() {
    setBusy(true);
    const answer = await exceptionFixesStore.getState().retryWhenReferenced(ops, { id: summary.id });
    setBusy(false);
    setError(answer.ok ? null : answer.error);
  }

  if (!unmapped && !awaitsReference && fix === null) return null;
  return (
    <section className="fix-actions" aria-label="One-click fixes">
      {fix !== null && <FixProgress fix={fix} />}
      <div className="form-actions">
        {unmapped && !working && !mapFormOpen && (
          <Button className="button" onPress={() => onMapForm(true)}>
            Map this code…
          </Button>
        )}
        {awaitsReference && !working && (
          <Button className="button" isPending={busy} onPress={() => void awaitReference()}>
            Retry when the referenced record exists
          </Button>
        )}
      </div>
      {unmapped && !working && mapFormOpen && (
        <form noValidate className="form" aria-label="Map this code" onSubmit={(e) => void mapCode(e)}>
          <p>
            Value map <code>{named?.valueMap ?? 'of this field'}</code> has no entry for code{' '}
            <code>{named?.code ?? summary.errorField}</code>.
          </p>
          <NativeField
            label="Target value"
            description="What the target should receive for this code"
            error={valueError}
          >
            {(control) => (
              <input
                {...control}
                className="field-input"
                list={listId}
                value={value}
                autoFocus
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => setValue(event.target.value)}
              />
            )}
          </NativeField>
          <datalist id={listId}>
            {suggestions.map((suggestion) => (
              <option key={suggestion} value={suggestion} />
            ))}
          </datalist>
          <TextInput label="Note (optional)" name="fixNote" value={note} onChange={setNote} />
          <p className="muted">
            This proposes a new version of the flow&apos;s mapping with this entry. An administrator must
            approve and activate it; then every record blocked by this code is replayed automatically.
          </p>
          <div className="form-actions">
            <Button type="submit" className="button button-primary" isPending={busy}>
              Propose the mapping change
            </Button>
            <Button className="button" onPress={() => onMapForm(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {error !== null && <Alert tone="error">{error}</Alert>}
    </section>
  );
}
