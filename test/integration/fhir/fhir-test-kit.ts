import type { FhirSettings } from '../../../shared/domain/connection.js';
import { FhirHttp } from '../../../main/connectors/fhir/fhir-http.js';
import { FhirSource } from '../../../main/connectors/fhir/fhir-source.js';
import type { SourcePage, SourceRecord } from '../../../main/connectors/types.js';

/** Settings and helpers shared by the FHIR integration tests (all against the emulator on loopback). */
export const CONNECTION_ID = 'conn_fhirtest0001';
export const TOKEN = 'emulator-token-not-a-real-secret';

export function fhirSettings(url: string, overrides: Partial<FhirSettings> = {}): FhirSettings {
  return {
    kind: 'fhir',
    baseUrl: url,
    authMethod: 'bearer',
    username: '',
    allowInsecureHttp: false,
    pageSize: 100,
    overlapSeconds: 120,
    timeoutMs: 5000,
    ...overrides,
  };
}

export const secretsWith = (value: string | null) => ({ read: () => Promise.resolve(value) });

export function fhirSource(
  url: string,
  options: {
    settings?: Partial<FhirSettings>;
    token?: string | null;
    retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  } = {},
): FhirSource {
  const settings = fhirSettings(url, options.settings);
  const http = new FhirHttp({
    connectionId: CONNECTION_ID,
    settings,
    secrets: secretsWith(options.token === undefined ? TOKEN : options.token),
    readRetry: options.retry ?? { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  });
  return new FhirSource({ http, overlapSeconds: settings.overlapSeconds });
}

/** Every page of one extract run (bounded: a runaway source fails the test instead of hanging). */
export async function collect(
  source: FhirSource,
  selector: Record<string, unknown>,
  cursor: string | null,
  pageSize: number,
  maxPages = 10_000,
): Promise<{ pages: SourcePage[]; records: SourceRecord[]; cursor: string | null }> {
  const pages: SourcePage[] = [];
  for await (const page of source.extract({ selector, cursor, pageSize })) {
    pages.push(page);
    if (pages.length > maxPages) throw new Error('too many pages');
  }
  return { pages, records: pages.flatMap((page) => page.records), cursor: pages.at(-1)?.cursor ?? cursor };
}
