import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { runsStore } from '../../stores/runs-store.js';

/**
 * The records of one run that did not go through: stage, source record, and the target's own error.
 * Payloads stay on the server (the exception workflow shows them); the error text is what the
 * target answered, which the engine already stripped of credentials.
 */
export function RunFailuresDialog({ runId }: { readonly runId: string }) {
  const ops = useOps();
  const { failures, moreFailures, failuresLoading, failuresError } = useStore(runsStore);
  const close = () => runsStore.getState().closeFailures();

  return (
    <FormDialog title={`Failures of run ${runId}`} isOpen onClose={close} size="wide">
      {failuresError !== null && <Alert tone="error">{failuresError}</Alert>}
      {failuresLoading && failures.length === 0 && <p className="dialog-text">Loading failures…</p>}
      {!failuresLoading && failures.length === 0 && failuresError === null && (
        <p className="dialog-text">No failed records.</p>
      )}
      {failures.length > 0 && (
        <div className="table-scroll dialog-table">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Source record</th>
                <th scope="col">Target key</th>
                <th scope="col">Error</th>
                <th scope="col">At</th>
              </tr>
            </thead>
            <tbody>
              {failures.map((failure) => (
                <tr key={failure.id}>
                  <td>
                    <span className="badge badge-failed">{failure.stage}</span>
                  </td>
                  <td>
                    {failure.sourceType} <code>{failure.sourceId}</code>
                  </td>
                  <td>{failure.targetKey === null ? '—' : <code>{failure.targetKey}</code>}</td>
                  <td>
                    <code>{failure.errorCode}</code> {failure.errorMessage}
                  </td>
                  <td>
                    <time dateTime={failure.at}>{absoluteTime(failure.at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        {moreFailures && (
          <Button
            className="button"
            isPending={failuresLoading}
            onPress={() => void runsStore.getState().loadMoreFailures(ops)}
          >
            Load more
          </Button>
        )}
        <Button className="button" onPress={close}>
          Close
        </Button>
      </div>
    </FormDialog>
  );
}
