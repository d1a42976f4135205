import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { auditStorePageStore } from '../../stores/audit-store-page-store.js';
import { CheckpointsSection } from './CheckpointsSection.js';
import { RetentionSection } from './RetentionSection.js';
import { WitnessSection } from './WitnessSection.js';

/**
 * The audit store for auditors and administrators (issue 13): signed checkpoints and the public key
 * for every role that reads checkpoints; the witness, payload retention and backups only for roles
 * that may change them (the server checks each call again).
 */
export function AuditStorePage() {
  const ops = useOps();
  const canWitness = useCan('audit.witness');
  const canRetention = useCan('retention.settings');
  const canBackup = useCan('store.backup');
  const error = useStore(auditStorePageStore, (state) => state.error);

  useEffect(() => {
    void auditStorePageStore.getState().load(ops, canWitness && canRetention);
    return () => auditStorePageStore.getState().reset();
  }, [ops, canWitness, canRetention]);

  return (
    <section className="page audit-store-page" aria-labelledby="audit-store-heading">
      <header className="page-header">
        <h1 id="audit-store-heading">Audit store</h1>
      </header>
      {error !== null && <Alert tone="error">{error}</Alert>}
      <CheckpointsSection />
      {canWitness && <WitnessSection />}
      {canRetention && canBackup && <RetentionSection />}
    </section>
  );
}
