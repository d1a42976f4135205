import { useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { auditColumns, auditFeatures } from './audit-columns.js';

const ROW_HEIGHT_PX = 37;

/**
 * The audit rows, virtualized: only the rows in view (plus a margin) are in the page, so thousands of
 * loaded rows scroll smoothly. Spacer rows above and below keep the table's own semantics (a real
 * <table>, so screen readers and tests read rows and columns).
 */
export function AuditTable({ entries }: { readonly entries: readonly AuditEntry[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const table = useTable({ features: auditFeatures, columns: auditColumns, data: entries });
  const rows = table.getRowModel().rows;
  // This app does not use the React Compiler, whose memoizing the rule guards against.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 12,
    getItemKey: (index) => rows[index]?.original.seq ?? index,
    // React 19 warns about flushSync during render; a frame of delay while scrolling is invisible here.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const columnCount = auditColumns.length;

  return (
    <div className="table-scroll audit-scroll" ref={scrollRef}>
      <table className="data-table audit-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className={`col-${header.column.id}`}>
                  <table.FlexRender header={header} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true" className="spacer-row">
              <td colSpan={columnCount} style={{ height: top }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            return (
              <tr key={row.original.seq} className={`outcome-row-${row.original.outcome}`}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
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
