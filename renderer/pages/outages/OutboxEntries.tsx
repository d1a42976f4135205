import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { OutboxEntry } from '../../../shared/domain/outage.js';
import { useOps } from '../../app/client-context.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { OUTBOX_REASON_LABELS, OUTBOX_STATE_LABELS } from '../../components/outage-text.js';

export const OUTBOX_PAGE_SIZE = 100;

interface OutboxEntriesProps {
  readonly flowId: string;
  readonly flowName: string;
  /** Changes when the overview does (writes queued or sent): the list is read again. */
  readonly refreshKey: unknown;
}

/** A flow's waiting writes in the order they will be sent, payloads folded (they may hold patient data). */
export function OutboxEntries({ flowId, flowName, refreshKey }: OutboxEntriesProps) {
  const ops = useOps();
  const [entries, setEntries] = useState<readonly OutboxEntry[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let current = true;
    void ops['outbox.list']({ flowId, state: 'waiting', afterSeq: 0, limit: OUTBOX_PAGE_SIZE }).then(
      (result) => {
        if (!current) return;
        setLoading(false);
        if (!result.ok) {
          setError(result.error.message);
          return;
        }
        setError(null);
        setEntries(result.value);
        setMore(result.value.length === OUTBOX_PAGE_SIZE);
      },
    );
    return () => {
      current = false;
    };
  }, [ops, flowId, refreshKey]);

  async function loadMore() {
    const afterSeq = entries.at(-1)?.seq ?? 0;
    setLoading(true);
    const result = await ops['outbox.list']({ flowId, state: 'waiting', afterSeq, limit: OUTBOX_PAGE_SIZE });
    setLoading(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setEntries([...entries, ...result.value]);
    setMore(result.value.length === OUTBOX_PAGE_SIZE);
  }

  if (error !== null) return <Alert tone="error">Could not read the outbox: {error}</Alert>;
  if (!loading && entries.length === 0)
    return <p className="empty">Nothing waits in the outbox of {flowName}.</p>;
  return (
    <div className="table-scroll outbox-scroll">
      <table className="data-table outbox-table">
        <caption className="visually-hidden">Outbox of {flowName}, in sending order</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Order key</th>
            <th scope="col">Target key</th>
            <th scope="col">Source record</th>
            <th scope="col">Why it waits</th>
            <th scope="col">Queued</th>
            <th scope="col">State</th>
            <th scope="col">Payload</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq}>
              <td>{entry.seq}</td>
              <td>
                <code>{entry.orderKey}</code>
              </td>
              <td>
                <code>{entry.targetKey}</code>
              </td>
              <td>
                <code>{entry.sourceId}</code>
              </td>
              <td>{OUTBOX_REASON_LABELS[entry.reason]}</td>
              <td>{absoluteTime(entry.queuedAt)}</td>
              <td>{OUTBOX_STATE_LABELS[entry.state]}</td>
              <td>
                <details>
                  <summary>
                    Mapping v{entry.mappingVersion}, hash <code>{entry.payloadHash.slice(0, 12)}</code>
                  </summary>
                  <pre className="payload-json">{JSON.stringify(entry.payload, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <Button className="button" isPending={loading} onPress={() => void loadMore()}>
          Load more waiting writes
        </Button>
      )}
    </div>
  );
}
