import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import type { AuditVerification } from '../../../shared/domain/audit.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { auditStore } from '../../stores/audit-store.js';

/** The sentence shown after a chain check. */
export function verificationText(verification: AuditVerification): string {
  return verification.ok
    ? `Chain verified: ${verification.rows} rows`
    : `Chain broken at row #${verification.brokenSeq}: ${verification.reason}`;
}

/** "Checked 1 200 000 of 10 000 000 rows (12 %)" while the store worker walks the log. */
export function verifyProgressText(progress: { done: number; total: number }): string {
  const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
  return `Checked ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} rows (${percent} %)`;
}

/** Walks the whole hash chain on the server and says whether it holds, or where it breaks. */
export function VerifyChain() {
  const ops = useOps();
  const { verification, verifying, verifyProgress, verifyError } = useStore(auditStore);
  return (
    <div className="verify-chain">
      <Button className="button" isPending={verifying} onPress={() => void auditStore.getState().verify(ops)}>
        Verify chain
      </Button>
      {verifying && verifyProgress === null && <span className="muted">Checking every row…</span>}
      {verifying && verifyProgress !== null && (
        <span className="muted" role="status">
          <progress max={Math.max(1, verifyProgress.total)} value={verifyProgress.done} />{' '}
          {verifyProgressText(verifyProgress)}
        </span>
      )}
      {verification !== null && !verifying && (
        <Alert tone={verification.ok ? 'success' : 'error'}>{verificationText(verification)}</Alert>
      )}
      {verifyError !== null && <Alert tone="error">{verifyError}</Alert>}
    </div>
  );
}
