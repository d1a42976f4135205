import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { ExceptionGroup } from '../../../shared/domain/exception.js';
import type { ExceptionFix } from '../../../shared/domain/exception-fix.js';
import type { FixAnswer } from '../../stores/exception-fixes-store.js';
import type { ReplayAnswer } from '../../stores/exceptions-store.js';
import { FixProgress } from './FixProgress.js';
import { count, retryAnswerText } from './fix-wording.js';

export interface GroupActionHandlers {
  readonly onRetry: (signature: string) => Promise<ReplayAnswer>;
  readonly onAwaitReference: (signature: string) => Promise<FixAnswer>;
}

interface GroupActionsProps extends GroupActionHandlers {
  readonly group: ExceptionGroup;
  readonly fix: ExceptionFix | null;
}

/**
 * A group's own actions: retry every member at once (one `exceptions.retry` by signature), or for a
 * missing referenced record retry them when it exists; the answer or refusal stays on the row.
 */
export function GroupActions({ group, fix, onRetry, onAwaitReference }: GroupActionsProps) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ readonly ok: boolean; readonly text: string } | null>(null);
  const awaitsReference = group.class === 'reference' && group.errorCode !== 'mapping.unmapped-code';

  async function act(
    call: () => Promise<ReplayAnswer | FixAnswer>,
    done: (answer: ReplayAnswer | FixAnswer) => string,
  ) {
    setBusy(true);
    const result = await call();
    setBusy(false);
    setAnswer(result.ok ? { ok: true, text: done(result) } : { ok: false, text: result.error });
  }

  return (
    <div className="group-actions">
      <Button
        className="button"
        isPending={busy}
        onPress={() =>
          void act(
            () => onRetry(group.signature),
            (result) => ('started' in result ? retryAnswerText(result.started) : ''),
          )
        }
      >
        {`Retry all ${count(group.count)}`}
      </Button>
      {awaitsReference && (fix === null || fix.state === 'done' || fix.state === 'superseded') && (
        <Button
          className="button"
          isPending={busy}
          onPress={() =>
            void act(
              () => onAwaitReference(group.signature),
              () => 'They will be retried when the referenced record exists.',
            )
          }
        >
          Retry when the referenced record exists
        </Button>
      )}
      {fix !== null && <FixProgress fix={fix} compact />}
      {answer !== null && (
        <p
          className={answer.ok ? 'group-answer' : 'group-answer field-error'}
          role={answer.ok ? 'status' : 'alert'}
        >
          {answer.text}
        </p>
      )}
    </div>
  );
}
