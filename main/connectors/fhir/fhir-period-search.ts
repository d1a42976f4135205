import type { Bundle } from 'fhir/r4';
import { ConnectorError } from '../types.js';
import type { FhirHttp } from './fhir-http.js';
import type { FhirSelector } from './fhir-search.js';

/**
 * The source side of a reconciliation (issue 12): how many of a flow's resources fall in a period
 * by a date search parameter (`occurrence` for ChargeItem), counted by the server (`_summary=count`,
 * no resource sent), and — for the few differing days only — their ids (`_elements=id`), so an
 * event the console never read is found. Periods are [from, to) days, UTC.
 */

export interface PeriodQuery {
  readonly selector: FhirSelector;
  readonly dateParam: string;
  /** First day (YYYY-MM-DD), included. */
  readonly from: string;
  /** Day after the last (YYYY-MM-DD), excluded. */
  readonly to: string;
  readonly signal?: AbortSignal;
}

function periodQuery(query: PeriodQuery): URLSearchParams {
  const params = new URLSearchParams(query.selector.params);
  params.append(query.dateParam, `ge${query.from}`);
  params.append(query.dateParam, `lt${query.to}`);
  return params;
}

function asBundle(json: unknown): Bundle {
  const bundle = json as Partial<Bundle> | null;
  if (bundle?.resourceType !== 'Bundle')
    throw new ConnectorError('transient', 'fhir.bad-page', 'The server answered a search with no Bundle.');
  return bundle as Bundle;
}

export async function countInPeriod(http: FhirHttp, query: PeriodQuery): Promise<number> {
  const params = periodQuery(query);
  params.set('_summary', 'count');
  const reply = await http.read(
    http.resolve(`${query.selector.resourceType}?${params.toString()}`),
    query.signal,
  );
  const total = asBundle(reply.json).total;
  if (typeof total !== 'number')
    throw new ConnectorError(
      'permanent',
      'fhir.no-count',
      'The FHIR server does not answer _summary=count with a total: the source cannot be counted.',
    );
  return total;
}

/** The ids (`ResourceType/id`, as source records name them) in a period, following next links. */
export async function idsInPeriod(http: FhirHttp, query: PeriodQuery, maxIds = 10_000): Promise<string[]> {
  const params = periodQuery(query);
  params.set('_elements', 'id');
  params.set('_count', '500');
  const ids: string[] = [];
  let next: URL | null = http.resolve(`${query.selector.resourceType}?${params.toString()}`);
  while (next !== null) {
    const bundle = asBundle((await http.read(next, query.signal)).json);
    for (const entry of bundle.entry ?? []) {
      if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
      const id = entry.resource?.id;
      if (entry.resource?.resourceType === query.selector.resourceType && id !== undefined)
        ids.push(`${query.selector.resourceType}/${id}`);
    }
    if (ids.length > maxIds)
      throw new ConnectorError('permanent', 'fhir.too-many', `More than ${maxIds} records in one day.`);
    const link = bundle.link?.find((candidate) => candidate.relation === 'next')?.url;
    next = link === undefined ? null : http.resolve(link);
  }
  return ids;
}
