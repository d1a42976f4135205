import { useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { AuditEntry, AuditObject } from '../../../shared/domain/audit.js';
import { auditColumns, auditFeatures } from './audit-columns.js';
import { AuditDetail } from './AuditDetail.js';

const ROW_HEIGHT_PX = 37;

interface AuditTableProps {
  readonly entries: readonly AuditEntry[];
  readonly objects: Readonly<Record<string, AuditObject>>;
}

/**
 * The audit rows, virtualized: only the rows in view (plus a margin) are in the page, so thousands of
 * loaded rows scroll smoothly. Each row is its own <tbody> holding the row and, when opened, its
 * detail; the virtualizer measures that body, so an opened row pushes the rest down. Spacer bodies
 * above and below keep the table's own semantics (a real <table> for screen readers and tests).
 */
export function AuditTable({ entries, objects }: AuditTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const columns = useMemo(() => auditColumns(objects), [objects]);
  const table = useTable({ features: auditFeatures, columns, data: entries });
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
  const columnCount = columns.length;

  function toggle(seq: number) {
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  }

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
        {top > 0 && (
          <tbody aria-hidden="true">
            <tr className="spacer-row">
              <td colSpan={columnCount} style={{ height: top }} />
            </tr>
          </tbody>
        )}
        {items.map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          const seq = row.original.seq;
          const expanded = open.has(seq);
          const detailId = `audit-detail-${seq}`;
          return (
            <tbody key={seq} ref={virtualizer.measureElement} data-index={item.index}>
              <tr className={`outcome-row-${row.original.outcome}`}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    {cell.column.id === 'seq' ? (
                      <button
                        type="button"
                        className="row-toggle"
                        aria-expanded={expanded}
                        aria-controls={expanded ? detailId : undefined}
                        aria-label={`${expanded ? 'Hide' : 'Show'} detail of row ${seq}`}
                        onClick={() => toggle(seq)}
                      >
                        <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {seq}
                      </button>
                    ) : (
                      <table.FlexRender cell={cell} />
                    )}
                  </td>
                ))}
              </tr>
              {expanded && (
                <tr className="audit-detail-row" id={detailId}>
                  <td colSpan={columnCount}>
                    <AuditDetail entry={row.original} objects={objects} />
                  </td>
                </tr>
              )}
            </tbody>
          );
        })}
        {bottom > 0 && (
          <tbody aria-hidden="true">
            <tr className="spacer-row">
              <td colSpan={columnCount} style={{ height: bottom }} />
            </tr>
          </tbody>
        )}
      </table>
    </div>
  );
}
