import type { AuditEntry, AuditObject } from '../../../shared/domain/audit.js';
import { lineageHash } from '../lineage/lineage-query.js';
import { annotatedDetail, KIND_LABELS, mentionedObjects } from './audit-names.js';

type Objects = Readonly<Record<string, AuditObject>>;

/** Where a named thing can be looked at: its lineage, or the page that manages it. */
function ObjectLinks({ id, object }: { id: string; object: AuditObject }) {
  const links: { href: string; label: string }[] = [];
  if (object.lineage !== undefined) {
    links.push({
      href: lineageHash(object.lineage.sourceId, object.lineage.sourceType),
      label: 'Follow lineage',
    });
  }
  if (object.kind === 'flow' || object.kind === 'run') links.push({ href: '#/flows', label: 'Open Flows' });
  if (object.kind === 'connection') links.push({ href: '#/connections', label: 'Open Connections' });
  if (object.kind === 'mapping') links.push({ href: '#/mappings', label: 'Open Mappings' });
  if (object.kind === 'exception') links.push({ href: '#/exceptions', label: 'Open Exceptions' });
  return (
    <>
      {links.map((link) => (
        <a
          key={link.href}
          className="detail-link"
          href={link.href}
          aria-label={`${link.label}: ${object.name}`}
        >
          {link.label}
        </a>
      ))}
      <span className="muted cell-id"> {id}</span>
    </>
  );
}

/** A row opened in place: who/what by name, the detail pretty-printed with names, and the row's hash. */
export function AuditDetail({ entry, objects }: { readonly entry: AuditEntry; readonly objects: Objects }) {
  const named = mentionedObjects(entry, objects);
  return (
    <div className="audit-detail">
      {named.length > 0 && (
        <ul className="audit-detail-names" aria-label="Named in this row">
          {named.map(({ id, object }) => (
            <li key={id}>
              <span className="muted">{KIND_LABELS[object.kind]}</span> <strong>{object.name}</strong>{' '}
              <ObjectLinks id={id} object={object} />
            </li>
          ))}
        </ul>
      )}
      <pre className="audit-detail-json" aria-label="Detail">
        {annotatedDetail(entry.detail, objects).map((line, index) => (
          <span key={index} className="detail-line">
            {line.text}
            {line.names.length > 0 && <span className="detail-name"> ← {line.names.join(', ')}</span>}
            {'\n'}
          </span>
        ))}
      </pre>
      <p className="muted">
        Row hash <code className="cell-id">{entry.hash}</code>
      </p>
    </div>
  );
}
