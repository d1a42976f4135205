import { ApiFailure } from '../../../shared/contract/result.js';
import {
  MAPPING_FILE_FORMAT,
  type MappingVersion,
  type MappingWithVersions,
} from '../../../shared/domain/mapping.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { callEngine } from './engine-call.js';
import { compileMapping } from '../../engine/mapping/compile-mapping.js';
import { diffMappingSpecs } from '../../engine/mapping/mapping-diff.js';
import { MappingCompileError } from '../../engine/mapping/mapping-errors.js';
import { MappingsRepo } from '../../engine/store/mappings-repo.js';
import { shadowGateRefusal } from '../../engine/shadow/promotion-gate.js';

type MappingHandlers = {
  readonly 'mappings.list': Handler<'mappings.list'>;
  readonly 'mappings.get': Handler<'mappings.get'>;
  readonly 'mappings.create': Handler<'mappings.create'>;
  readonly 'mappings.saveDraft': Handler<'mappings.saveDraft'>;
  readonly 'mappings.approve': Handler<'mappings.approve'>;
  readonly 'mappings.activate': Handler<'mappings.activate'>;
  readonly 'mappings.diff': Handler<'mappings.diff'>;
  readonly 'mappings.preview': Handler<'mappings.preview'>;
  readonly 'mappings.export': Handler<'mappings.export'>;
  readonly 'mappings.import': Handler<'mappings.import'>;
};

/** A spec that does not compile is refused when saved, naming the field or rule. */
function assertCompiles(spec: Parameters<typeof compileMapping>[0]): void {
  try {
    compileMapping(spec);
  } catch (error) {
    if (error instanceof MappingCompileError) throw new ApiFailure('invalid-input', `spec: ${error.message}`);
    throw error;
  }
}

export function mappingHandlers(services: Services): MappingHandlers {
  const mappings = new MappingsRepo(services.store.db);
  const { events } = services;

  function existing(id: string): MappingWithVersions {
    const mapping = mappings.get(id);
    if (!mapping) throw new ApiFailure('not-found', 'That mapping does not exist.');
    return mapping;
  }

  function version(id: string, number: number): MappingVersion {
    existing(id);
    const found = mappings.version(id, number);
    if (!found) throw new ApiFailure('not-found', `Mapping version ${number} does not exist.`);
    return found;
  }

  function assertNameFree(name: string): void {
    if (mappings.idByName(name) !== null)
      throw new ApiFailure('conflict', `A mapping named "${name}" already exists.`);
  }

  return {
    'mappings.list': () => mappings.list(),
    'mappings.get': (input) => existing(input.id),
    'mappings.create': (input, call) => {
      assertNameFree(input.name);
      assertCompiles(input.spec);
      const id = mappings.create(input, call.operator?.username ?? 'unknown');
      call.audit.target = id;
      call.audit.detail = { name: input.name, version: 1 };
      events.publish({ type: 'mappings.changed', id, version: 1, change: 'created' });
      return existing(id);
    },
    'mappings.saveDraft': (input, call) => {
      existing(input.id);
      assertCompiles(input.spec);
      const saved = mappings.saveDraft(
        input.id,
        input.spec,
        input.note,
        call.operator?.username ?? 'unknown',
      );
      call.audit.detail = { version: saved.version, specHash: saved.specHash };
      events.publish({ type: 'mappings.changed', id: input.id, version: saved.version, change: 'created' });
      return saved;
    },
    'mappings.approve': (input, call) => {
      const draft = version(input.id, input.version);
      const approver = call.operator?.username ?? 'unknown';
      // The four-eyes rule: checked here on the server (and again by the schema's CHECK constraint).
      if (draft.author === approver) {
        throw new ApiFailure('forbidden', 'You wrote this version: another administrator must approve it.');
      }
      if (draft.status !== 'draft')
        throw new ApiFailure('conflict', `Version ${draft.version} is ${draft.status}, not a draft.`);
      if (!mappings.approve(input.id, input.version, approver))
        throw new ApiFailure('conflict', 'The version changed meanwhile.');
      call.audit.detail = { version: input.version, author: draft.author, specHash: draft.specHash };
      events.publish({ type: 'mappings.changed', id: input.id, version: input.version, change: 'approved' });
      return version(input.id, input.version);
    },
    'mappings.activate': (input, call) => {
      const target = version(input.id, input.version);
      if (target.status === 'active') return target;
      if (target.status === 'draft')
        throw new ApiFailure('conflict', 'Only an approved version can be activated.');
      // The promotion gate (issue 12): clean shadow periods first, when the mapping asks for them.
      const refusal = shadowGateRefusal(services.store.db, input.id, input.version);
      if (refusal !== null) throw new ApiFailure('conflict', refusal);
      if (!mappings.activate(input.id, input.version, call.operator?.username ?? 'unknown')) {
        throw new ApiFailure('conflict', 'Only an approved version can be activated.');
      }
      call.audit.detail = { version: input.version, specHash: target.specHash };
      events.publish({ type: 'mappings.changed', id: input.id, version: input.version, change: 'activated' });
      // One-click fixes waiting for this version replay now (the engine's sweep would find them later).
      services.engine.call('applyFixes', {}).catch(() => undefined);
      return version(input.id, input.version);
    },
    'mappings.diff': (input) => ({
      mappingId: input.id,
      from: input.from,
      to: input.to,
      changes: diffMappingSpecs(version(input.id, input.from).spec, version(input.id, input.to).spec),
    }),
    // Evaluated in the engine worker: a slow or hostile expression must not freeze the server.
    'mappings.preview': (input) => callEngine(services.engine, 'previewMapping', input),
    'mappings.export': (input) => {
      const mapping = existing(input.id);
      return {
        format: MAPPING_FILE_FORMAT,
        name: mapping.name,
        description: mapping.description,
        versions: mapping.versions.map((v) => ({
          version: v.version,
          status: v.status,
          note: v.note,
          author: v.author,
          spec: v.spec,
        })),
      };
    },
    'mappings.import': (input, call) => {
      const newest = input.file.versions.reduce((a, b) => (b.version > a.version ? b : a));
      assertCompiles(newest.spec);
      const by = call.operator?.username ?? 'unknown';
      const note =
        `imported from file: "${input.file.name}" version ${newest.version} by ${newest.author}`.slice(
          0,
          500,
        );
      // Imported specs never skip review: whatever their status in the file, they arrive as a draft.
      let id = mappings.idByName(input.file.name);
      let saved: number;
      if (id === null) {
        id = mappings.create(
          { name: input.file.name, description: input.file.description, spec: newest.spec, note },
          by,
        );
        saved = 1;
      } else {
        saved = mappings.saveDraft(id, newest.spec, note, by).version;
      }
      call.audit.target = id;
      call.audit.detail = { name: input.file.name, version: saved, fromVersion: newest.version };
      events.publish({ type: 'mappings.changed', id, version: saved, change: 'imported' });
      return existing(id);
    },
  };
}
