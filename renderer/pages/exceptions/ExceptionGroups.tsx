import { Button } from 'react-aria-components';
import type { ExceptionGroup } from '../../../shared/domain/exception.js';
import { absoluteTime, relativeTime } from '../../app/format-time.js';
import type { ExceptionFix } from '../../../shared/domain/exception-fix.js';
import { fixForSignature } from '../../stores/exception-fixes-store.js';
import { CLASS_LABELS } from './exception-display.js';
import { GroupActions, type GroupActionHandlers } from './GroupActions.js';

interface ExceptionGroupsProps extends GroupActionHandlers {
  readonly groups: readonly ExceptionGroup[];
  /** The active one-click fixes: each shows its progress on its group's row. */
  readonly fixes: readonly ExceptionFix[];
  /** Viewers see the groups without actions (the server refuses them anyway). */
  readonly canAct: boolean;
  readonly onShow: (signature: string) => void;
}

/** Exceptions by signature (same code, field and value pattern), largest first: one cause, one fix. */
export function ExceptionGroups({ groups, fixes, canAct, onShow, ...handlers }: ExceptionGroupsProps) {
  if (groups.length === 0) return <p className="empty">No exceptions match these filters.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table exception-groups" aria-label="Exception groups">
        <thead>
          <tr>
            <th scope="col">Count</th>
            <th scope="col">Cause</th>
            <th scope="col">Class</th>
            <th scope="col">Flows</th>
            <th scope="col">Oldest</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.signature} data-signature={group.signature}>
              <td className="exception-group-count">{group.count}</td>
              <td className="exception-group-cause">
                <code>{group.errorCode}</code>
                {group.errorField !== '' && <span className="muted"> · field {group.errorField}</span>}
                <div className="muted cell-note" title={group.sampleMessage}>
                  {group.sampleMessage}
                </div>
              </td>
              <td>{CLASS_LABELS[group.class]}</td>
              <td>{group.flows}</td>
              <td title={absoluteTime(group.oldest)}>{relativeTime(group.oldest)}</td>
              <td className="row-actions">
                <Button className="button" onPress={() => onShow(group.signature)}>
                  {`Show these ${group.count}`}
                </Button>
                {canAct && (
                  <GroupActions group={group} fix={fixForSignature(fixes, group.signature)} {...handlers} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
