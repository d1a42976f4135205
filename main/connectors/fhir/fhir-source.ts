import { createHash } from 'node:crypto';
import type { Bundle, Resource } from 'fhir/r4';
import type { ExtractRequest, Source, SourcePage, SourceRecord } from '../types.js';
import { ConnectorError } from '../types.js';
import { advanceCursor, decodeFhirCursor, encodeFhirCursor, pollSince, pruneCursor } from './fhir-cursor.js';
import type { FhirHttp, FhirReply } from './fhir-http.js';
import { firstSearchPath, parseFhirSelector } from './fhir-search.js';
import { countInPeriod, idsInPeriod } from './fhir-period-search.js';

/**
 * FHIR R4 incremental search as a Source: `_lastUpdated=gt<cursor − overlap>`, sorted by
 * `_lastUpdated`, `_count` per page, then the server's `Bundle.link[next]` until there is none.
 * Records are deduplicated by id + meta.versionId, both inside one run (a record updated while we
 * page can show up twice) and across runs (the overlap window re-reads on purpose).
 */
export interface FhirSourceOptions {
  readonly http: FhirHttp;
  readonly overlapSeconds: number;
  /** Hard stop against a server whose next links never end. */
  readonly maxPages?: number;
}

export class FhirSource implements Source {
  readonly system = 'fhir';

  constructor(private readonly options: FhirSourceOptions) {}

  /** Resources of the flow's selector whose `dateParam` lies in [from, to): counted by the server. */
  countInPeriod(selector: unknown, dateParam: string, from: string, to: string, signal?: AbortSignal) {
    const query = { selector: parseFhirSelector(selector), dateParam, from, to };
    return countInPeriod(this.options.http, signal === undefined ? query : { ...query, signal });
  }

  /** Their ids (`ResourceType/id`), for a reconciliation's few differing days. */
  idsInPeriod(selector: unknown, dateParam: string, from: string, to: string, signal?: AbortSignal) {
    const query = { selector: parseFhirSelector(selector), dateParam, from, to };
    return idsInPeriod(this.options.http, signal === undefined ? query : { ...query, signal });
  }

  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    const selector = parseFhirSelector(request.selector);
    const { http, overlapSeconds } = this.options;
    const maxPages = this.options.maxPages ?? 100_000;
    const state = decodeFhirCursor(request.cursor);
    const seenThisRun = new Set<string>();
    const visited = new Set<string>();
    let next: URL | null = http.resolve(
      firstSearchPath(selector, pollSince(state, overlapSeconds), request.pageSize),
    );

    while (next !== null) {
      if (visited.has(next.href) || visited.size >= maxPages) {
        throw new ConnectorError(
          'transient',
          'fhir.paging-loop',
          `The server's next links loop or never end (after ${visited.size} pages).`,
        );
      }
      visited.add(next.href);
      const reply = await http.read(next, request.signal, assertSearchBundle);
      const bundle = reply.json as Bundle;
      const records: SourceRecord[] = [];
      for (const entry of bundle.entry ?? []) {
        // Included resources and OperationOutcome warnings are not results of this search.
        if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
        const resource = entry.resource;
        if (resource?.resourceType !== selector.resourceType) continue;
        const record = toSourceRecord(resource);
        const key = `${record.sourceId}@${record.version}`;
        if (state.seen.has(key) || seenThisRun.has(key)) continue;
        seenThisRun.add(key);
        if (record.updatedAt !== null) advanceCursor(state, key, Date.parse(record.updatedAt));
        records.push(record);
      }
      pruneCursor(state, overlapSeconds);
      const link = bundle.link?.find((candidate) => candidate.relation === 'next')?.url;
      next = link === undefined ? null : http.resolve(link);
      yield { records, cursor: encodeFhirCursor(state) };
    }
  }
}

function assertSearchBundle(reply: FhirReply): void {
  const json = reply.json as Partial<Bundle> | null;
  if (json?.resourceType !== 'Bundle' || (json.entry !== undefined && !Array.isArray(json.entry))) {
    throw new ConnectorError(
      'transient',
      'fhir.bad-page',
      'The server returned a search page that is not a Bundle.',
    );
  }
}

export function toSourceRecord(resource: Resource): SourceRecord {
  if (resource.id === undefined || resource.id === '') {
    throw new ConnectorError(
      'permanent',
      'fhir.no-id',
      `A ${resource.resourceType} in the search result has no id.`,
    );
  }
  const updatedAt = resource.meta?.lastUpdated ?? null;
  const validUpdated = updatedAt !== null && !Number.isNaN(Date.parse(updatedAt)) ? updatedAt : null;
  const version =
    resource.meta?.versionId ??
    createHash('sha256').update(JSON.stringify(resource)).digest('hex').slice(0, 32);
  return {
    type: resource.resourceType,
    sourceId: `${resource.resourceType}/${resource.id}`,
    version,
    updatedAt: validUpdated,
    data: resource,
  };
}
