import { StoreError } from '../store-errors.js';
import { storeWorkerHandlers, type ReportProgress } from './store-worker-handlers.js';
import {
  envelopeSchema,
  isStoreWorkerRequestType,
  storeWorkerInputSchemas,
  type StoreWorkerFailure,
  type StoreWorkerProgress,
  type StoreWorkerResponse,
} from './store-worker-protocol.js';

/**
 * Turns one raw message into one response. Kept apart from the worker entry so it can be tested in
 * process; never throws, and never lets a stack trace into the response.
 */
export async function dispatchStoreRequest(
  raw: unknown,
  onProgress: (message: StoreWorkerProgress) => void = () => undefined,
): Promise<StoreWorkerResponse | null> {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return null; // no id to answer to; the client's timeout covers such a call
  const { id, type, input } = envelope.data;
  const fail = (error: StoreWorkerFailure): StoreWorkerResponse => ({ id, ok: false, error });
  if (!isStoreWorkerRequestType(type)) {
    return fail({ code: 'unknown-request', message: `The store worker has no request type "${type}".` });
  }
  const parsed = storeWorkerInputSchemas[type].safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(input)').join(', ');
    return fail({ code: 'invalid-request', message: `Invalid ${type} request: check ${fields}.` });
  }
  // The schema for `type` produced `parsed.data`, so it is that handler's input; TypeScript cannot
  // correlate the two through the union, hence the widened call.
  const handler = storeWorkerHandlers[type] as (input: unknown, report: ReportProgress) => Promise<unknown>;
  const report: ReportProgress = (done, total) => onProgress({ id, progress: { done, total } });
  try {
    return { id, ok: true, value: await handler(parsed.data, report) };
  } catch (error) {
    return fail(toFailure(error));
  }
}

export function toFailure(error: unknown): StoreWorkerFailure {
  if (error instanceof StoreError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}
