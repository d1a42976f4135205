import { useEffect } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { auditStore } from '../../stores/audit-store.js';
import { AuditExport } from './AuditExport.js';
import { AuditFilters } from './AuditFilters.js';
import { AuditTable } from './AuditTable.js';
import { VerifyChain } from './VerifyChain.js';

/** The audit and lineage explorer: the tamper-evident log, newest first, searched; new rows arrive live. */
export function AuditPage() {
  const ops = useOps();
  const { entries, objects, nextBeforeSeq, searchedDownToSeq, filter, loading, loaded, error } =
    useStore(auditStore);
  const canVerify = useCan('audit.verify');

  useEffect(() => {
    void auditStore.getState().loadNewest(ops);
  }, [ops]);

  const older = () => void auditStore.getState().loadOlder(ops);

  return (
    <section className="page" aria-labelledby="audit-heading">
      <header className="page-header">
        <h1 id="audit-heading">Audit log</h1>
        {canVerify && <VerifyChain />}
      </header>
      <p className="page-lead">
        Every action by every operator and by the engine, hash-chained so that any change shows. Page views
        are hidden unless you show them; they stay in the log.
      </p>
      <AuditFilters filter={filter} onApply={(next) => void auditStore.getState().setFilter(ops, next)} />
      <AuditExport filter={filter} />
      {error !== null && <Alert tone="error">Could not load the audit log: {error}</Alert>}
      {loaded && entries.length === 0 && searchedDownToSeq === null && (
        <p className="empty">No audit rows match.</p>
      )}
      {!loaded && loading && <p className="empty">Loading the audit log…</p>}
      {entries.length > 0 && <AuditTable entries={entries} objects={objects} />}
      {nextBeforeSeq !== null && searchedDownToSeq !== null && (
        <p className="search-window" role="status">
          Searched back to row #{searchedDownToSeq}{' '}
          <Button className="button" isPending={loading} onPress={older}>
            Search older rows
          </Button>
        </p>
      )}
      {nextBeforeSeq !== null && searchedDownToSeq === null && (
        <Button className="button" isPending={loading} onPress={older}>
          Load older
        </Button>
      )}
    </section>
  );
}
