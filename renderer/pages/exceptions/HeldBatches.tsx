import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import type { AnomalyHold } from '../../../shared/domain/flow-anomaly.js';
import { useOps } from '../../app/client-context.js';
import { absoluteTime } from '../../app/format-time.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { TextInput } from '../../components/TextInput.js';
import { holdsStore } from '../../stores/holds-store.js';
import { reasonProblem } from '../outages/reason-check.js';

/**
 * Batches held as anomalous (issue 12): nothing of them was posted. Each shows why it was held; finance
 * and administrators release it (its writes are sent) or reject it (each becomes an exception), with a
 * reason. Shown only while something is held.
 */
type Decide = (decision: 'release' | 'reject', id: string, reason: string) => Promise<string | null>;

export function HeldBatches() {
  const ops = useOps();
  const { held, error } = useStore(holdsStore);
  const canDecide = useCan('holds.release');

  useEffect(() => {
    void holdsStore.getState().load(ops);
  }, [ops]);

  return (
    <HeldBatchesView
      held={held}
      error={error}
      canDecide={canDecide}
      onDecide={(decision, id, reason) => holdsStore.getState().decide(ops, decision, id, reason)}
    />
  );
}

interface HeldBatchesViewProps {
  readonly held: readonly AnomalyHold[];
  readonly error: string | null;
  readonly canDecide: boolean;
  readonly onDecide?: Decide;
}

/** The section itself, without the store (rendered alone by its test). */
export function HeldBatchesView({ held, error, canDecide, onDecide }: HeldBatchesViewProps) {
  if (held.length === 0 && error === null) return null;
  return (
    <section className="panel held-batches" aria-labelledby="held-batches-heading">
      <h2 id="held-batches-heading">Held batches</h2>
      <p className="page-lead">
        A run&apos;s batch far from the flow&apos;s usual volume or amount is held: nothing of it was posted,
        and the flow&apos;s later records wait behind it.
      </p>
      {error !== null && <Alert tone="error">Could not read the held batches: {error}</Alert>}
      <ul className="held-list">
        {held.map((hold) => (
          <HeldBatch key={hold.id} hold={hold} onDecide={canDecide ? onDecide : undefined} />
        ))}
      </ul>
    </section>
  );
}

function HeldBatch({
  hold,
  onDecide,
}: {
  readonly hold: AnomalyHold;
  readonly onDecide: Decide | undefined;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [refused, setRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide(decision: 'release' | 'reject') {
    const check = reasonProblem(reason);
    setProblem(check ?? undefined);
    if (check !== null || onDecide === undefined) return;
    setBusy(true);
    const answer = await onDecide(decision, hold.id, reason.trim());
    setBusy(false);
    setRefused(answer);
  }

  const flow = hold.flowName ?? hold.flowId;
  return (
    <li className="held-batch" data-hold-id={hold.id}>
      <p>
        <strong>{flow}</strong> · {hold.size} record{hold.size === 1 ? '' : 's'} · held{' '}
        {absoluteTime(hold.createdAt)}
      </p>
      <p className="held-explanation">{hold.explanation}</p>
      {refused !== null && <Alert tone="error">{refused}</Alert>}
      {onDecide !== undefined && (
        <div className="held-actions">
          <TextInput
            label={`Reason for the decision on ${flow}`}
            name={`hold-reason-${hold.id}`}
            value={reason}
            onChange={setReason}
            error={problem}
          />
          <Button className="button" isDisabled={busy} onPress={() => void decide('release')}>
            Release (send)
          </Button>
          <Button className="button button-danger" isDisabled={busy} onPress={() => void decide('reject')}>
            Reject (do not send)
          </Button>
        </div>
      )}
    </li>
  );
}
