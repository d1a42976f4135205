import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FhirResource, Resource } from 'fhir/r4';
import { capabilityStatement } from './capability-statement.js';
import { bulkChargeItems } from './bulk-generator.js';
import { demoClinicRecords } from './demo-clinic.js';
import { FhirFaults } from './fhir-faults.js';
import { searchType } from './fhir-search-handler.js';
import { operationOutcome } from './outcome.js';
import { readResourceBody } from './read-resource-body.js';
import { ResourceStore } from './resource-store.js';
import { RestHookNotifier, type NotificationRecord } from './rest-hook-notifier.js';

/**
 * A FHIR R4 partner (the clinic's EHR) for tests, the demo and benchmarks, on 127.0.0.1. Supports
 * metadata, read, search (see fhir-search-handler.ts), create with If-None-Exist, update with
 * If-Match, rest-hook Subscriptions, bearer/basic auth, OperationOutcome errors and fault injection.
 * Base URL: `<origin>/fhir`.
 */
export const SUPPORTED_TYPES = [
  'Patient',
  'Practitioner',
  'Location',
  'Encounter',
  'SupplyDelivery',
  'ChargeItem',
  'Subscription',
] as const;

export interface FhirEmulatorOptions {
  readonly port?: number;
  /** 'demo-clinic' (default) seeds the demo clinic; 'empty' starts with nothing. */
  readonly seed?: 'demo-clinic' | 'empty';
  /** Extra lazily generated ChargeItems for benchmarks. */
  readonly bulkChargeItems?: number;
  readonly auth?:
    | { readonly bearer: string }
    | { readonly basic: { readonly username: string; readonly password: string } };
  readonly defaultCount?: number;
  readonly maxCount?: number;
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface FhirEmulatorState {
  readonly store: ResourceStore;
  readonly requests: RequestLogEntry[];
  readonly notifications: readonly NotificationRecord[];
  /** Create or update a resource as the EHR itself would (new version, notifications sent). */
  put(resource: FhirResource & { id: string }): Resource;
  /** Wait for every rest-hook notification started so far. */
  settled(): Promise<void>;
}

export interface FhirEmulator {
  readonly url: string;
  readonly faults: FhirFaults;
  readonly state: FhirEmulatorState;
  close(): Promise<void>;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_LOG = 2000;

export async function startFhirEmulator(options: FhirEmulatorOptions = {}): Promise<FhirEmulator> {
  const now = options.now ?? Date.now;
  const store = new ResourceStore();
  const faults = new FhirFaults(now);
  const notifier = new RestHookNotifier(store);
  const requests: RequestLogEntry[] = [];
  const seedEnd = now() - 60_000;
  if (options.seed !== 'empty')
    for (const record of demoClinicRecords(seedEnd)) store.put(record.resource, record.lastUpdatedMs);
  if (options.bulkChargeItems !== undefined && options.bulkChargeItems > 0) {
    store.addBulk(bulkChargeItems(options.bulkChargeItems, { endMs: seedEnd }));
  }
  const put = (resource: FhirResource & { id: string }): { resource: Resource; created: boolean } => {
    const result = store.put(resource, now());
    notifier.notify(result.resource);
    return result;
  };

  let baseUrl = '';
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent)
        send(response, 500, operationOutcome('exception', 'The emulator failed to handle the request.'));
      else response.destroy();
    });
  });

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': FHIR_JSON,
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    response.end(text);
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const method = request.method ?? 'GET';
    response.on('finish', () => {
      requests.push({ method, path: `${url.pathname}${url.search}`, status: response.statusCode });
      if (requests.length > MAX_LOG) requests.shift();
    });
    const decision = faults.decide();
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.fail !== null) {
      request.resume();
      const retry = decision.fail.retryAfterSeconds;
      send(
        response,
        decision.fail.status,
        operationOutcome('transient', `Injected fault: HTTP ${decision.fail.status}`),
        retry === null ? {} : { 'retry-after': String(retry) },
      );
      return;
    }
    const parts = url.pathname
      .replace(/^\/fhir\/?/, '')
      .split('/')
      .filter((part) => part !== '');
    if (!url.pathname.startsWith('/fhir'))
      return send(response, 404, operationOutcome('not-found', `No FHIR endpoint at ${url.pathname}`));
    if (parts[0] === 'metadata' && method === 'GET')
      return send(response, 200, capabilityStatement(SUPPORTED_TYPES));
    if (!authorized(request.headers.authorization)) {
      request.resume();
      return send(
        response,
        401,
        operationOutcome('login', 'Authentication required: the token or password is missing or wrong.'),
        { 'www-authenticate': 'Bearer' },
      );
    }
    const [type, id, ...rest] = parts;
    if (type === undefined || !(SUPPORTED_TYPES as readonly string[]).includes(type) || rest.length > 0) {
      request.resume();
      return send(
        response,
        404,
        operationOutcome('not-supported', `Resource type or path not supported: ${url.pathname}`),
      );
    }
    if (method === 'GET' && id === undefined) return search(response, type, url.searchParams);
    if (method === 'GET') return read(response, type, id!);
    if (method === 'POST' && id === undefined) return create(request, response, type);
    if (method === 'PUT' && id !== undefined) return update(request, response, type, id);
    request.resume();
    return send(
      response,
      405,
      operationOutcome('not-supported', `${method} is not supported on ${url.pathname}`),
    );
  }

  function authorized(header: string | undefined): boolean {
    const auth = options.auth;
    if (auth === undefined) return true;
    if ('bearer' in auth) return header === `Bearer ${auth.bearer}`;
    return (
      header === `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64')}`
    );
  }

  function search(response: ServerResponse, type: string, query: URLSearchParams): void {
    const result = searchType(store, type, query, baseUrl, {
      defaultCount: options.defaultCount ?? 50,
      maxCount: options.maxCount ?? 2000,
    });
    const broken = result.isFollowUpPage && result.status === 200 ? faults.takePageBreak() : null;
    if (broken === 'truncated-json') {
      const text = JSON.stringify(result.body);
      response.writeHead(200, { 'content-type': FHIR_JSON });
      response.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    if (broken === 'not-a-bundle') return send(response, 200, operationOutcome('exception', 'Page expired'));
    send(response, result.status, result.body);
  }

  function read(response: ServerResponse, type: string, id: string): void {
    const slot = store.get(type, id);
    if (slot === undefined)
      return send(response, 404, operationOutcome('not-found', `${type}/${id} is not known`));
    const resource = slot.build();
    send(response, 200, resource, {
      etag: `W/"${slot.versionId}"`,
      'last-modified': new Date(slot.lastUpdatedMs).toUTCString(),
    });
  }

  async function create(request: IncomingMessage, response: ServerResponse, type: string): Promise<void> {
    const body = await readResource(request, response, type);
    if (body === null) return;
    const condition = request.headers['if-none-exist'];
    if (typeof condition === 'string') {
      const matches = conditionalMatches(type, condition);
      if (matches === null)
        return send(
          response,
          400,
          operationOutcome('invalid', `If-None-Exist supports identifier= or _id=, not "${condition}"`),
        );
      if (matches.length > 1)
        return send(
          response,
          412,
          operationOutcome('duplicate', `${matches.length} ${type} resources match ${condition}`),
        );
      const existing = matches[0];
      if (existing !== undefined) {
        return send(response, 200, existing.build(), {
          location: `${baseUrl}/${type}/${existing.id}/_history/${existing.versionId}`,
          etag: `W/"${existing.versionId}"`,
        });
      }
    }
    const stored = put({ ...body, id: randomUUID() }).resource;
    send(response, 201, stored, {
      location: `${baseUrl}/${type}/${stored.id!}/_history/${stored.meta!.versionId!}`,
      etag: `W/"${stored.meta!.versionId!}"`,
    });
  }

  async function update(
    request: IncomingMessage,
    response: ServerResponse,
    type: string,
    id: string,
  ): Promise<void> {
    const body = await readResource(request, response, type);
    if (body === null) return;
    if (body.id !== id)
      return send(
        response,
        400,
        operationOutcome(
          'invalid',
          `The body's id (${String(body.id)}) does not match the URL (${id})`,
          'error',
          `${type}.id`,
        ),
      );
    const current = store.get(type, id);
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch === 'string') {
      const wanted = /^(W\/)?"(.+)"$/.exec(ifMatch)?.[2];
      if (current === undefined || wanted !== String(current.versionId)) {
        return send(
          response,
          412,
          operationOutcome(
            'conflict',
            `${type}/${id} is at version ${current?.versionId ?? 'none'}, not ${wanted ?? ifMatch}`,
          ),
        );
      }
    }
    const { resource, created } = put(body as FhirResource & { id: string });
    send(response, created ? 201 : 200, resource, { etag: `W/"${resource.meta!.versionId!}"` });
  }

  function conditionalMatches(
    type: string,
    condition: string,
  ): ReturnType<ResourceStore['findByIdentifier']> | null {
    const query = new URLSearchParams(condition);
    const identifier = query.get('identifier');
    if (identifier !== null) return store.findByIdentifier(type, identifier);
    const id = query.get('_id');
    if (id !== null) {
      const slot = store.get(type, id);
      return slot === undefined ? [] : [slot];
    }
    return null;
  }

  async function readResource(
    request: IncomingMessage,
    response: ServerResponse,
    type: string,
  ): Promise<FhirResource | null> {
    const result = await readResourceBody(request, type, options.maxBodyBytes ?? 5 * 1024 * 1024);
    if ('resource' in result) return result.resource;
    send(response, result.status, result.outcome, result.status === 413 ? { connection: 'close' } : {});
    if (result.status === 413) request.destroy();
    return null;
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/fhir`;
  const state: FhirEmulatorState = {
    store,
    requests,
    notifications: notifier.notifications,
    put: (resource) => put(resource).resource,
    settled: () => notifier.settled(),
  };
  return {
    url: baseUrl,
    faults,
    state,
    close: async () => {
      await notifier.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
