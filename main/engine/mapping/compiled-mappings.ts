import { EngineRequestError } from '../runner/engine-errors.js';
import type { MappingsRepo } from '../store/mappings-repo.js';
import { compileMapping, type CompiledMapping } from './compile-mapping.js';

/**
 * Compiled mapping versions, compiled once each: a version never changes once saved (only its
 * status does), so `mappingId@version` names one compiled mapping for the engine's whole life.
 */
export class CompiledMappings {
  private readonly cache = new Map<string, CompiledMapping>();

  constructor(private readonly mappings: MappingsRepo) {}

  get(mappingId: string, version: number): CompiledMapping {
    const cacheKey = `${mappingId}@${version}`;
    let compiled = this.cache.get(cacheKey);
    if (!compiled) {
      const found = this.mappings.version(mappingId, version);
      if (!found) throw new EngineRequestError('not-found', `Mapping version ${cacheKey} does not exist.`);
      compiled = compileMapping(found.spec);
      this.cache.set(cacheKey, compiled);
    }
    return compiled;
  }
}
