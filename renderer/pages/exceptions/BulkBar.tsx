import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { MAX_RETRY_SELECTION } from '../../../shared/domain/exception.js';
import { Alert } from '../../components/Alert.js';
import { TextInput } from '../../components/TextInput.js';
import { exceptionsStore, type BulkProgress, type ReplayAnswer } from '../../stores/exceptions-store.js';
import { count, retryAnswerText } from './fix-wording.js';

const VERBS = { assign: 'Assigning', ignore: 'Ignoring' } as const;

/** "Ignoring 3 of 10…", then "Ignored 9 of 10; 1 failed". */
export function bulkText(bulk: BulkProgress): string {
  if (bulk.running) return `${VERBS[bulk.action]} ${bulk.done} of ${bulk.total}…`;
  const done = bulk.total - bulk.failures.length;
  const verb = bulk.action === 'assign' ? 'Assigned' : 'Ignored';
  return `${verb} ${done} of ${bulk.total}${bulk.failures.length === 0 ? '' : `; ${bulk.failures.length} failed`}`;
}

/**
 * Bulk actions on the ticked exceptions: one call per exception, so each is authorized and audited
 * on its own, with the progress and every failure (and its reason) shown.
 */
export function BulkBar({ me }: { readonly me: string | null }) {
  const ops = useOps();
  const checked = useStore(exceptionsStore, (state) => state.checked);
  const bulk = useStore(exceptionsStore, (state) => state.bulk);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [retrying, setRetrying] = useState(false);
  const [retried, setRetried] = useState<ReplayAnswer | null>(null);
  const running = bulk?.running === true || retrying;
  const tooMany = checked.length > MAX_RETRY_SELECTION;

  async function retry() {
    // One call for the whole selection: the server queues one replay run per flow.
    setRetrying(true);
    const answer = await exceptionsStore.getState().retry(ops, { ids: checked });
    setRetrying(false);
    setRetried(answer);
  }

  function ignore() {
    if (reason.trim().length < 3) return setReasonError('Say why (at least 3 characters)');
    setReasonError(undefined);
    void exceptionsStore.getState().runBulk(ops, 'ignore', checked, reason.trim());
  }

  if (checked.length === 0 && bulk === null && retried === null) return null;
  return (
    <div className="panel bulk-bar" aria-label="Bulk actions">
      {checked.length > 0 && (
        <div className="bulk-controls">
          <span>{count(checked.length)} selected</span>
          <Button
            className="button"
            isDisabled={running || tooMany}
            isPending={retrying}
            onPress={() => void retry()}
          >
            Retry selected
          </Button>
          {tooMany && (
            <span className="field-error">{`At most ${count(MAX_RETRY_SELECTION)} at once: narrow the selection`}</span>
          )}
          {me !== null && (
            <Button
              className="button"
              isDisabled={running}
              onPress={() => void exceptionsStore.getState().runBulk(ops, 'assign', checked, me)}
            >
              Assign selected to me
            </Button>
          )}
          <TextInput
            label="Reason to ignore"
            name="bulkReason"
            value={reason}
            onChange={setReason}
            error={reasonError}
          />
          <Button className="button button-danger" isDisabled={running} onPress={ignore}>
            Ignore selected
          </Button>
        </div>
      )}
      {retried !== null && (
        <Alert tone={retried.ok ? 'success' : 'error'}>
          {retried.ok ? retryAnswerText(retried.started) : retried.error}{' '}
          <Button className="button button-quiet" onPress={() => setRetried(null)}>
            Dismiss
          </Button>
        </Alert>
      )}
      {bulk !== null && (
        <div className="bulk-progress" role="status">
          <progress max={bulk.total} value={bulk.done} aria-label="Bulk progress" /> {bulkText(bulk)}
          {bulk.failures.length > 0 && (
            <ul className="bulk-failures">
              {bulk.failures.map((failure) => (
                <li key={failure.id}>
                  <code>{failure.id}</code>: {failure.message}
                </li>
              ))}
            </ul>
          )}
          {!running && (
            <Button className="button button-quiet" onPress={() => exceptionsStore.getState().clearBulk()}>
              Dismiss
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
