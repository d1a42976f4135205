import type { ExceptionFix } from '../../../shared/domain/exception-fix.js';
import { fixStateText, fixTitle } from './fix-wording.js';

/**
 * A one-click fix and how far it got, in plain words ("Waiting for an administrator to approve
 * mapping v4", "Replaying 812 of 10,000…") with a progress bar of the records it settled.
 */
export function FixProgress({
  fix,
  compact = false,
}: {
  readonly fix: ExceptionFix;
  readonly compact?: boolean;
}) {
  const { total, resolved, failed } = fix.progress;
  const text = fixStateText(fix);
  return (
    <div
      className={`fix-progress${compact ? ' fix-progress-compact' : ''}`}
      role="status"
      aria-label={`Fix: ${text}`}
      data-fix-state={fix.state}
    >
      {!compact && <div className="fix-title">{fixTitle(fix)}</div>}
      <div className="fix-state" title={text}>
        {text}
      </div>
      {/* A bar only once records move: before approval it would sit at zero and say nothing. */}
      {total > 0 && (fix.state === 'replaying' || fix.state === 'done') && (
        <progress max={total} value={resolved + failed} aria-label={`Fix progress: ${text}`} />
      )}
    </div>
  );
}
