import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { OutboxDrainView } from '../../../shared/domain/outage.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { drainText } from '../../components/outage-text.js';
import { outagesStore } from '../../stores/outages-store.js';

interface DrainProgressProps {
  readonly flowName: string;
  readonly drain: OutboxDrainView;
  /** Whether this operator may pause and resume runs (the server checks again). */
  readonly canControl: boolean;
}

/** A replay of the outbox: a progress bar with sent / total, pace and time left, and pause / resume. */
export function DrainProgress({ flowName, drain, canControl }: DrainProgressProps) {
  const ops = useOps();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const text = drainText(drain);

  async function press(action: 'pause' | 'resume') {
    setBusy(true);
    setError(null);
    const store = outagesStore.getState();
    const refused =
      action === 'pause'
        ? await store.pauseDrain(ops, drain.runId)
        : await store.resumeDrain(ops, drain.runId);
    setBusy(false);
    setError(refused);
  }

  return (
    <div className="drain-progress" data-drain-status={drain.status}>
      <progress
        max={Math.max(drain.total, 1)}
        value={drain.sent}
        aria-label={`Replay of ${flowName}: ${text}`}
      />
      <span className="drain-text">{text}</span>
      {canControl &&
        (drain.status === 'paused' ? (
          <Button className="button button-small" isPending={busy} onPress={() => void press('resume')}>
            Resume replay
          </Button>
        ) : (
          <Button className="button button-small" isPending={busy} onPress={() => void press('pause')}>
            Pause replay
          </Button>
        ))}
      {error !== null && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
