import { isDeepStrictEqual } from 'node:util';
import type { Resource } from 'fhir/r4';
import { z } from 'zod';
import type { Target, TargetOutcome, TargetWrite, WriteRequest } from '../types.js';
import { ConnectorError } from '../types.js';
import { FhirHttpError, type FhirHttp, type FhirReply } from './fhir-http.js';

/**
 * FHIR as a target, idempotent by construction:
 * - `create`: conditional create (`If-None-Exist: identifier=<key>`): a resend finds the first copy.
 * - `upsert`: conditional create, and when the server already holds the record with other content,
 *   an update guarded by `If-Match: W/"<versionId>"` so a concurrent change is never overwritten.
 * The write key is the conditional-create identity: `system|value` of the business identifier.
 */
const operationSchema = z.object({
  resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
  mode: z.enum(['create', 'upsert']).default('upsert'),
});

export class FhirTarget implements Target {
  readonly system = 'fhir';

  constructor(private readonly http: FhirHttp) {}

  async write(request: WriteRequest): Promise<TargetOutcome[]> {
    const parsed = operationSchema.safeParse(request.operation);
    if (!parsed.success) {
      const error = new ConnectorError(
        'configuration',
        'fhir.bad-operation',
        'The FHIR target operation needs a resourceType and a mode (create or upsert).',
      );
      return request.records.map((record) => ({ key: record.key, ok: false, error: error.toInfo() }));
    }
    const outcomes: TargetOutcome[] = [];
    // One at a time, in order: the engine relies on per-key ordering, and FHIR has no batch
    // conditional-create that reports per-entry outcomes on every server.
    for (const record of request.records) {
      try {
        outcomes.push(
          await this.writeOne(parsed.data.resourceType, parsed.data.mode, record, request.signal),
        );
      } catch (error) {
        const info =
          error instanceof ConnectorError
            ? error.toInfo()
            : { class: 'transient' as const, code: 'fhir.unexpected', message: String(error) };
        outcomes.push({ key: record.key, ok: false, error: info });
      }
    }
    return outcomes;
  }

  private async writeOne(
    resourceType: string,
    mode: 'create' | 'upsert',
    record: TargetWrite,
    signal: AbortSignal | undefined,
  ): Promise<TargetOutcome> {
    const payload = record.payload as Partial<Resource>;
    if (payload.resourceType !== resourceType) {
      throw new ConnectorError(
        'permanent',
        'fhir.bad-payload',
        `The mapped record is a ${String(payload.resourceType)}, not a ${resourceType}.`,
      );
    }
    if (!/^[^|\s]*\|[^|\s]+$/.test(record.key)) {
      throw new ConnectorError(
        'configuration',
        'fhir.bad-key',
        `The write key "${record.key}" is not an identifier "system|value".`,
      );
    }
    const { id: _ignored, meta: _meta, ...body } = payload;
    const created = await this.http.send('POST', this.http.resolve(resourceType), {
      body,
      headers: {
        'if-none-exist': `identifier=${encodeURIComponent(record.key)}`,
        prefer: 'return=representation',
      },
      signal,
    });
    const existing = resourceFrom(created);
    const targetId = `${resourceType}/${existing.id}`;
    if (created.status === 201) return { key: record.key, ok: true, targetId, created: true };
    if (mode === 'create' || sameContent(existing, body))
      return { key: record.key, ok: true, targetId, created: false };
    const version = existing.meta?.versionId;
    if (version === undefined) {
      throw new ConnectorError(
        'permanent',
        'fhir.no-version',
        `${targetId} has no meta.versionId, so it cannot be updated safely.`,
      );
    }
    try {
      await this.http.send('PUT', this.http.resolve(`${resourceType}/${existing.id}`), {
        body: { ...body, id: existing.id },
        headers: { 'if-match': `W/"${version}"` },
        signal,
      });
    } catch (error) {
      if (error instanceof FhirHttpError && error.status === 412) {
        // Someone changed it between our read and our write: retrying re-reads the new version.
        throw new ConnectorError(
          'transient',
          'fhir.version-conflict',
          `${targetId} changed on the server while it was being updated; it will be retried.`,
        );
      }
      throw error;
    }
    return { key: record.key, ok: true, targetId, created: false };
  }
}

function resourceFrom(reply: FhirReply): Resource & { id: string } {
  const resource = reply.json as Partial<Resource> | null;
  if (typeof resource?.id === 'string' && typeof resource.resourceType === 'string') {
    return resource as Resource & { id: string };
  }
  // Servers that ignore Prefer: return=representation still send Location.
  const location = reply.headers.location ?? reply.headers['content-location'];
  const match =
    location === undefined
      ? null
      : /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/([^/]+))?/.exec(location);
  if (match === null) {
    throw new ConnectorError(
      'permanent',
      'fhir.no-location',
      'The server accepted the write but did not say which resource it is.',
    );
  }
  return {
    resourceType: match[1],
    id: match[2],
    ...(match[4] === undefined ? {} : { meta: { versionId: match[4] } }),
  } as Resource & { id: string };
}

/** Server-managed fields (id, meta, text narrative) are not content. */
function sameContent(existing: Resource, wanted: Record<string, unknown>): boolean {
  const { id: _id, meta: _meta, text: _text, ...rest } = existing as Resource & { text?: unknown };
  const { text: _wantedText, ...wantedRest } = wanted;
  return isDeepStrictEqual(rest, wantedRest);
}
