import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { TextInput } from '../../components/TextInput.js';
import { auditStorePageStore } from '../../stores/audit-store-page-store.js';
import { backupLine, parseRetentionDays, pruneResultLine, retentionLine } from './audit-store-view.js';

const when = (iso: string): string => new Date(iso).toLocaleString();

/**
 * Payload retention and backups (administrators). Pruning keeps every row, its metadata and its
 * hashes; open and dead exceptions are never pruned (the server decides what is prunable).
 */
export function RetentionSection() {
  const ops = useOps();
  const payloadDays = useStore(auditStorePageStore, (state) => state.payloadDays);
  const lastPrune = useStore(auditStorePageStore, (state) => state.lastPrune);
  const lastBackup = useStore(auditStorePageStore, (state) => state.lastBackup);
  const [days, setDays] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'forever' | 'prune' | 'backup' | null>(null);
  const shownDays = days ?? (typeof payloadDays === 'number' ? String(payloadDays) : '');

  async function run(kind: 'save' | 'forever' | 'prune' | 'backup', action: () => Promise<string | null>) {
    setBusy(kind);
    setError(await action());
    setBusy(null);
  }

  function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseRetentionDays(shownDays);
    if ('error' in parsed) {
      setFieldError(parsed.error);
      return;
    }
    setFieldError(undefined);
    void run('save', () => auditStorePageStore.getState().setPayloadDays(ops, parsed.days));
  }

  return (
    <section className="panel" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Payload retention and backups</h2>
      <p aria-live="polite">{payloadDays === undefined ? 'Loading…' : retentionLine(payloadDays)}</p>
      <form className="form" aria-label="Payload retention" noValidate onSubmit={save}>
        <TextInput
          label="Prune settled payloads older than (days)"
          name="payloadDays"
          inputMode="numeric"
          value={shownDays}
          onChange={setDays}
          error={fieldError}
        />
        <div className="row-actions">
          <Button type="submit" className="button button-primary" isPending={busy === 'save'}>
            Save retention
          </Button>
          <Button
            className="button"
            isPending={busy === 'forever'}
            onPress={() => {
              setDays('');
              void run('forever', () => auditStorePageStore.getState().setPayloadDays(ops, null));
            }}
          >
            Keep forever
          </Button>
          <Button
            className="button"
            isDisabled={payloadDays === null || payloadDays === undefined}
            isPending={busy === 'prune'}
            onPress={() => void run('prune', () => auditStorePageStore.getState().pruneNow(ops))}
          >
            Prune now
          </Button>
        </div>
      </form>
      {lastPrune !== null && <Alert tone="success">{pruneResultLine(lastPrune, when)}</Alert>}
      <div className="row-actions">
        <Button
          className="button"
          isPending={busy === 'backup'}
          onPress={() => void run('backup', () => auditStorePageStore.getState().backupNow(ops))}
        >
          Back up now
        </Button>
      </div>
      {lastBackup !== null && <Alert tone="success">{backupLine(lastBackup)}</Alert>}
      {error !== null && <Alert tone="error">{error}</Alert>}
    </section>
  );
}
