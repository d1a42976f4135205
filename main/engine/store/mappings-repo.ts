import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  mappingSpecSchema,
  type Mapping,
  type MappingSpec,
  type MappingStatus,
  type MappingVersion,
  type MappingWithVersions,
} from '../../../shared/domain/mapping.js';
import { canonicalJson } from '../../store/audit/canonical-json.js';
import { newId } from './engine-ids.js';

interface MappingRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
  created_by: string;
  active_version: number | null;
  latest_version: number;
}

interface VersionRow {
  mapping_id: string;
  version: number;
  status: MappingStatus;
  spec: string;
  spec_hash: string;
  note: string;
  author: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  activated_by: string | null;
  activated_at: string | null;
}

const MAPPING_COLUMNS = `m.id, m.name, m.description, m.created_at, m.created_by,
  (SELECT version FROM mapping_versions v WHERE v.mapping_id = m.id AND v.status = 'active') AS active_version,
  (SELECT max(version) FROM mapping_versions v WHERE v.mapping_id = m.id) AS latest_version`;

export function specHash(spec: MappingSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

function toMapping(row: MappingRow): Mapping {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    createdBy: row.created_by,
    activeVersion: row.active_version,
    latestVersion: row.latest_version,
  };
}

function toVersion(row: VersionRow): MappingVersion {
  return {
    mappingId: row.mapping_id,
    version: row.version,
    status: row.status,
    // Parsed again on the way out: a row edited outside the console must not reach the compiler as is.
    spec: mappingSpecSchema.parse(JSON.parse(row.spec)),
    specHash: row.spec_hash,
    note: row.note,
    author: row.author,
    createdAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    activatedBy: row.activated_by,
    activatedAt: row.activated_at,
  };
}

/** Mappings and their versions. Versions are inserted once; only their status columns ever change. */
export class MappingsRepo {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.q = {
      list: db.prepare<[], MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM mappings m ORDER BY m.name`),
      get: db.prepare<[string], MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM mappings m WHERE m.id = ?`),
      byName: db.prepare<[string], { id: string }>('SELECT id FROM mappings WHERE name = ?'),
      versions: db.prepare<[string], VersionRow>(
        'SELECT * FROM mapping_versions WHERE mapping_id = ? ORDER BY version',
      ),
      version: db.prepare<[string, number], VersionRow>(
        'SELECT * FROM mapping_versions WHERE mapping_id = ? AND version = ?',
      ),
      active: db.prepare<[string], VersionRow>(
        "SELECT * FROM mapping_versions WHERE mapping_id = ? AND status = 'active'",
      ),
      insertMapping: db.prepare(
        'INSERT INTO mappings (id, name, description, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
      ),
      insertVersion: db.prepare(
        `INSERT INTO mapping_versions (mapping_id, version, status, spec, spec_hash, note, author, created_at)
         VALUES (@mappingId, (SELECT coalesce(max(version), 0) + 1 FROM mapping_versions WHERE mapping_id = @mappingId),
                 'draft', @spec, @specHash, @note, @author, @now)`,
      ),
      approve: db.prepare(
        `UPDATE mapping_versions SET status = 'approved', approved_by = ?, approved_at = ?
         WHERE mapping_id = ? AND version = ? AND status = 'draft'`,
      ),
      retireActive: db.prepare(
        "UPDATE mapping_versions SET status = 'retired' WHERE mapping_id = ? AND status = 'active'",
      ),
      activate: db.prepare(
        `UPDATE mapping_versions SET status = 'active', activated_by = ?, activated_at = ?
         WHERE mapping_id = ? AND version = ? AND status IN ('approved', 'retired')`,
      ),
    };
  }

  list(): Mapping[] {
    return this.q.list.all().map(toMapping);
  }

  get(id: string): MappingWithVersions | null {
    const row = this.q.get.get(id);
    if (!row) return null;
    return { ...toMapping(row), versions: this.q.versions.all(id).map(toVersion) };
  }

  idByName(name: string): string | null {
    return this.q.byName.get(name)?.id ?? null;
  }

  version(id: string, version: number): MappingVersion | null {
    const row = this.q.version.get(id, version);
    return row ? toVersion(row) : null;
  }

  activeVersion(id: string): MappingVersion | null {
    const row = this.q.active.get(id);
    return row ? toVersion(row) : null;
  }

  create(
    input: { name: string; description: string; spec: MappingSpec; note: string },
    author: string,
  ): string {
    const id = newId('map');
    this.db.transaction(() => {
      this.q.insertMapping.run(id, input.name, input.description, this.now().toISOString(), author);
      this.insertDraft(id, input.spec, input.note, author);
    })();
    return id;
  }

  /** A new draft version, numbered after the newest one. */
  saveDraft(id: string, spec: MappingSpec, note: string, author: string): MappingVersion {
    return this.db.transaction(() => {
      this.insertDraft(id, spec, note, author);
      const latest = this.q.versions.all(id).at(-1);
      if (!latest) throw new Error('mapping version vanished after insert');
      return toVersion(latest);
    })();
  }

  /** False when the version is not a draft (any more). The author check is the caller's. */
  approve(id: string, version: number, approver: string): boolean {
    return this.q.approve.run(approver, this.now().toISOString(), id, version).changes === 1;
  }

  /** Retires the active version and activates this one, atomically; false when it is not approved. */
  activate(id: string, version: number, by: string): boolean {
    return this.db
      .transaction(() => {
        const target = this.q.version.get(id, version);
        if (
          !target ||
          (target.status !== 'approved' && target.status !== 'retired') ||
          target.approved_by === null
        ) {
          return false;
        }
        this.q.retireActive.run(id);
        return this.q.activate.run(by, this.now().toISOString(), id, version).changes === 1;
      })
      .immediate();
  }

  private insertDraft(id: string, spec: MappingSpec, note: string, author: string): void {
    this.q.insertVersion.run({
      mappingId: id,
      spec: JSON.stringify(spec),
      specHash: specHash(spec),
      note,
      author,
      now: this.now().toISOString(),
    });
  }
}
