import { Button } from 'react-aria-components';
import type { ExceptionGroup } from '../../../shared/domain/exception.js';
import { absoluteTime, relativeTime } from '../../app/format-time.js';
import { CLASS_LABELS } from './exception-display.js';

interface ExceptionGroupsProps {
  readonly groups: readonly ExceptionGroup[];
  readonly onShow: (signature: string) => void;
}

/** Exceptions by signature (same code, field and value pattern), largest first: one cause, one fix. */
export function ExceptionGroups({ groups, onShow }: ExceptionGroupsProps) {
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
              <td>
                <code>{group.errorCode}</code>
                {group.errorField !== '' && <span className="muted"> · field {group.errorField}</span>}
                <div className="muted cell-note">{group.sampleMessage}</div>
              </td>
              <td>{CLASS_LABELS[group.class]}</td>
              <td>{group.flows}</td>
              <td title={absoluteTime(group.oldest)}>{relativeTime(group.oldest)}</td>
              <td className="row-actions">
                <Button className="button" onPress={() => onShow(group.signature)}>
                  {`Show these ${group.count}`}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
