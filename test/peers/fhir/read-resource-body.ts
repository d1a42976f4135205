import type { IncomingMessage } from 'node:http';
import type { FhirResource, OperationOutcome } from 'fhir/r4';
import { operationOutcome } from './outcome.js';

/**
 * Reads a create/update body: at most `limit` bytes (413 past it), JSON (400 otherwise), and a
 * resource of the type in the URL (400 otherwise) — each refusal as the OperationOutcome to send.
 */
export async function readResourceBody(
  request: IncomingMessage,
  type: string,
  limit: number,
): Promise<{ resource: FhirResource } | { status: number; outcome: OperationOutcome }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      return {
        status: 413,
        outcome: operationOutcome('too-costly', `The body is larger than ${limit} bytes`),
      };
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return { status: 400, outcome: operationOutcome('structure', 'The body is not valid JSON') };
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    (body as { resourceType?: unknown }).resourceType !== type
  ) {
    return {
      status: 400,
      outcome: operationOutcome('invalid', `The body must be a ${type} resource`, 'error', 'resourceType'),
    };
  }
  return { resource: body as FhirResource };
}
