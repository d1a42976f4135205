import type { OperationFunctions } from '../../../shared/contract/bridge.js';
import { OPERATION_NAMES } from '../../../shared/contract/operations.js';
import type { Result } from '../../../shared/contract/result.js';

type Handler = (input: unknown) => Result<unknown> | Promise<Result<unknown>>;

/**
 * Operation functions answered by small per-test handlers; calls are recorded. An operation without a
 * handler fails the test loudly instead of answering something made up.
 */
export function fakeOperations(handlers: Partial<Record<string, Handler>>) {
  const calls: { name: string; input: unknown }[] = [];
  const entries = OPERATION_NAMES.map((name) => [
    name,
    async (input: unknown) => {
      calls.push({ name, input });
      const handler = handlers[name];
      if (handler === undefined) throw new Error(`Unexpected call to ${name}`);
      return handler(input);
    },
  ]);
  return { ops: Object.fromEntries(entries) as unknown as OperationFunctions, calls };
}

/** A promise the test resolves by hand, to order answers as a slow network would. */
export function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
