import type { AuditAppend, Store } from '../../store/types.js';
import { ConnectionsRepo } from '../../repositories/connections-repo.js';
import { compileMapping } from '../mapping/compile-mapping.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { MappingsRepo } from '../store/mappings-repo.js';
import type { ConfigFile } from './config-file.js';

export interface ImportReport {
  readonly created: string[];
  readonly skipped: string[];
  /** What an operator must still do: set secrets, approve imported mapping drafts. */
  readonly todo: string[];
}

/**
 * Applies a config file to a store. Nothing existing is overwritten: a connection or flow whose
 * name exists is skipped; a mapping whose name exists gets the file's newest version as a new
 * DRAFT (imports never skip the four-eyes approval). Every change is audited under `actor`.
 */
export function importConfig(store: Store, file: ConfigFile, actor: string): ImportReport {
  const connections = new ConnectionsRepo(store.db);
  const mappings = new MappingsRepo(store.db);
  const flows = new FlowsRepo(store.db);
  const report: ImportReport = { created: [], skipped: [], todo: [] };
  const audit: AuditAppend[] = [];
  // All or nothing: a failure half-way leaves the store as it was.
  store.db.transaction(() => apply(file, actor, { connections, mappings, flows }, report, audit)).immediate();
  if (audit.length > 0) store.audit.appendMany(audit);
  return report;
}

function apply(
  file: ConfigFile,
  actor: string,
  repos: { connections: ConnectionsRepo; mappings: MappingsRepo; flows: FlowsRepo },
  report: ImportReport,
  audit: AuditAppend[],
): void {
  const { connections, mappings, flows } = repos;
  for (const entry of file.connections) {
    if (connections.nameTakenBy(entry.name) !== null) {
      report.skipped.push(`connection "${entry.name}" (exists)`);
      continue;
    }
    const created = connections.insert(entry.name, entry.settings, actor);
    report.created.push(`connection "${entry.name}"`);
    if (entry.settings.kind !== 'csv-drop') report.todo.push(`set the secret of connection "${entry.name}"`);
    audit.push({
      actor,
      action: 'config.import.connection',
      target: created.id,
      outcome: 'ok',
      detail: { name: entry.name, kind: entry.settings.kind },
    });
  }
  for (const file_ of file.mappings) {
    const newest = file_.versions.reduce((a, b) => (b.version > a.version ? b : a));
    compileMapping(newest.spec); // refuses a mapping that does not compile, naming the field
    const note = `imported: "${file_.name}" version ${newest.version} by ${newest.author}`.slice(0, 500);
    const existing = mappings.idByName(file_.name);
    const id =
      existing ??
      mappings.create({ name: file_.name, description: file_.description, spec: newest.spec, note }, actor);
    const version = existing === null ? 1 : mappings.saveDraft(existing, newest.spec, note, actor).version;
    report.created.push(`mapping "${file_.name}" draft version ${version}`);
    report.todo.push(
      `approve and activate mapping "${file_.name}" version ${version} (by another administrator)`,
    );
    audit.push({
      actor,
      action: 'config.import.mapping',
      target: id,
      outcome: 'ok',
      detail: { name: file_.name, version },
    });
  }
  for (const entry of file.flows) {
    if (flows.idByName(entry.name) !== null) {
      report.skipped.push(`flow "${entry.name}" (exists)`);
      continue;
    }
    const source = connections.nameTakenBy(entry.source);
    const target = connections.nameTakenBy(entry.target);
    const mapping = mappings.idByName(entry.mapping);
    if (source === null || target === null || mapping === null) {
      report.skipped.push(`flow "${entry.name}" (its connection or mapping is missing)`);
      continue;
    }
    const { source: _s, target: _t, mapping: _m, ...definition } = entry;
    const created = flows.insert(
      { ...definition, sourceConnectionId: source, targetConnectionId: target, mappingId: mapping },
      actor,
    );
    report.created.push(`flow "${entry.name}"`);
    audit.push({
      actor,
      action: 'config.import.flow',
      target: created.id,
      outcome: 'ok',
      detail: { name: entry.name },
    });
  }
}
