import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ExceptionSummary } from '../../../shared/domain/exception.js';
import { absoluteTime, relativeTime } from '../../app/format-time.js';
import { CLASS_LABELS, STATE_LABELS, stateTone } from './exception-display.js';

const ROW_HEIGHT_PX = 44;

interface ExceptionListProps {
  readonly items: readonly ExceptionSummary[];
  readonly flowNames: ReadonlyMap<string, string>;
  readonly selectedId: string | null;
  /** Null for roles that may not act: no tick boxes for bulk actions. */
  readonly checked: readonly string[] | null;
  readonly onSelect: (id: string) => void;
  readonly onOpen: (id: string) => void;
  readonly onToggle: (id: string) => void;
  readonly onToggleAll: () => void;
}

/**
 * The inbox rows, virtualized: tens of thousands of open exceptions scroll smoothly because only
 * the rows in view are in the page. A real <table> keeps rows and columns readable by screen readers.
 */
export function ExceptionList(props: ExceptionListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { items, selectedId } = props;
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 10,
    getItemKey: (index) => items[index]?.id ?? index,
    // Before the first layout (and when rendered to markup) the list shows a screenful of rows.
    initialRect: { width: 1000, height: 640 },
    useFlushSync: false,
  });
  const selectedIndex = items.findIndex((item) => item.id === selectedId);

  useEffect(() => {
    // Keyboard triage moves the selection: keep it in view.
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const rows = virtualizer.getVirtualItems();
  const top = rows[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0);
  const checked = props.checked;
  const columnCount = checked === null ? 7 : 8;
  const allChecked = checked !== null && items.length > 0 && checked.length === items.length;

  return (
    <div className="table-scroll exception-scroll" ref={scrollRef}>
      <table className="data-table exception-table" aria-label="Exceptions">
        <thead>
          <tr>
            {checked !== null && (
              <th scope="col" className="col-check">
                <input
                  type="checkbox"
                  aria-label="Select every exception shown"
                  checked={allChecked}
                  onChange={props.onToggleAll}
                />
              </th>
            )}
            {/* Fixed column widths: at laptop widths every column stays, long texts end in "…". */}
            <th scope="col" className="col-record">
              Record
            </th>
            <th scope="col" className="col-flow">
              Flow
            </th>
            <th scope="col" className="col-class">
              Class
            </th>
            <th scope="col" className="col-error">
              Error
            </th>
            <th scope="col" className="col-state">
              State
            </th>
            <th scope="col" className="col-assignee">
              Assignee
            </th>
            <th scope="col" className="col-age">
              Age
            </th>
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true" className="spacer-row">
              <td colSpan={columnCount} style={{ height: top }} />
            </tr>
          )}
          {rows.map((row) => {
            const item = items[row.index];
            if (item === undefined) return null;
            return (
              <tr
                key={item.id}
                data-exception-id={item.id}
                aria-current={item.id === selectedId ? 'true' : undefined}
                className="exception-row"
                onClick={() => props.onSelect(item.id)}
                onDoubleClick={() => props.onOpen(item.id)}
              >
                {checked !== null && (
                  <td className="col-check">
                    <input
                      type="checkbox"
                      aria-label={`Select ${item.sourceId}`}
                      checked={checked.includes(item.id)}
                      onChange={() => props.onToggle(item.id)}
                      onClick={(event) => event.stopPropagation()}
                    />
                  </td>
                )}
                <td>
                  <div className="exception-record" title={item.sourceId}>
                    {item.sourceId}
                  </div>
                  <div className="muted cell-note">
                    {item.sourceType} · {item.attempts} {item.attempts === 1 ? 'attempt' : 'attempts'}
                  </div>
                </td>
                <td title={props.flowNames.get(item.flowId) ?? item.flowId}>
                  {props.flowNames.get(item.flowId) ?? item.flowId}
                </td>
                <td title={CLASS_LABELS[item.class]}>{CLASS_LABELS[item.class]}</td>
                <td className="exception-error">
                  <code title={item.errorCode}>{item.errorCode}</code>
                  <div className="muted cell-note" title={item.errorMessage}>
                    {item.errorMessage}
                  </div>
                </td>
                <td>
                  <span className={`badge badge-${stateTone(item.state)}`}>{STATE_LABELS[item.state]}</span>
                </td>
                <td title={item.assignee ?? 'Unassigned'}>
                  {item.assignee ?? <span className="muted">Unassigned</span>}
                </td>
                <td title={absoluteTime(item.createdAt)}>{relativeTime(item.createdAt)}</td>
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden="true" className="spacer-row">
              <td colSpan={columnCount} style={{ height: bottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
