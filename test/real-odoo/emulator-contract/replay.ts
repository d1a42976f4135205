import { json2Fetch, json2Kw } from './json2-client.js';
import { normalizeAnswer } from './normalize.js';

/**
 * Replaying contract steps against one Odoo (the real server or the emulator): a plain client that
 * keeps the raw answers (JSON-RPC on 17; on 19 ORM calls go over JSON-2, see json2-client.ts), and
 * the context each step builds its request from (its own server's uids and earlier answers, so the
 * same step works whatever ids each server hands out).
 */

export interface Login {
  readonly login: string;
  readonly key: string;
}

export interface ContractTarget {
  readonly name: 'real' | 'emulator';
  /** '19.0': ORM calls over JSON-2 with the bearer key, in 19's vocabulary (odoo19-requests.ts). */
  readonly series: '17.0' | '19.0';
  readonly url: string;
  readonly database: string;
  readonly admin: Login;
  readonly integration: Login;
}

export type Who = 'admin' | 'integration';

/** A JSON-RPC answer as it came, minus the envelope's `jsonrpc` and `id`. */
export type RpcAnswer = Record<string, unknown>;

export interface StepContext {
  readonly target: ContractTarget;
  uid(who: Who): number;
  /** The answer of an earlier step of this run. */
  answer(step: string): RpcAnswer;
  /** `result` of an earlier step's answer (it must have succeeded). */
  result<T = unknown>(step: string): T;
  call(service: string, method: string, args: unknown[]): Promise<RpcAnswer>;
  /** A raw HTTP request (JSON-2's own error cases), answered as json2Answer shapes it. */
  http(path: string, init: RequestInit): Promise<RpcAnswer>;
  kw(
    who: Who,
    model: string,
    method: string,
    args: unknown[],
    kwargs?: Record<string, unknown>,
  ): Promise<RpcAnswer>;
}

export interface ContractStep {
  readonly name: string;
  /** What the step is about (shown with a difference). */
  readonly about: string;
  readonly run: (context: StepContext) => Promise<unknown>;
  /** Reduce the answer to what both servers must agree on (default: the whole answer). */
  readonly view?: (answer: never, context: StepContext) => unknown;
}

export interface StepRecord {
  readonly name: string;
  readonly answer: unknown;
  /** What is compared: the step's view of the answer, normalized (normalize.ts). */
  readonly view: unknown;
  readonly ms: number;
}

export async function rpc(url: string, service: string, method: string, args: unknown[]): Promise<RpcAnswer> {
  const response = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service, method, args } }),
    signal: AbortSignal.timeout(120_000),
  });
  const { jsonrpc: _jsonrpc, id: _id, ...answer } = (await response.json()) as Record<string, unknown>;
  return answer;
}

export async function replaySteps(
  target: ContractTarget,
  steps: readonly ContractStep[],
): Promise<StepRecord[]> {
  const uids = new Map<Who, number>();
  for (const who of ['admin', 'integration'] as const) {
    const login = target[who];
    const answer = await rpc(target.url, 'common', 'authenticate', [
      target.database,
      login.login,
      login.key,
      {},
    ]);
    if (typeof answer.result !== 'number') throw new Error(`${target.name}: ${login.login} cannot log in`);
    uids.set(who, answer.result);
  }
  const answers = new Map<string, RpcAnswer>();
  const context: StepContext = {
    target,
    uid: (who) => uids.get(who) ?? 0,
    answer: (step) => {
      const found = answers.get(step);
      if (found === undefined) throw new Error(`${target.name}: no answer of step ${step} yet`);
      return found;
    },
    result: <T>(step: string): T => {
      const found = context.answer(step);
      if (!('result' in found))
        throw new Error(`${target.name}: step ${step} failed: ${JSON.stringify(found)}`);
      return found.result as T;
    },
    call: (service, method, args) => rpc(target.url, service, method, args),
    http: (path, init) => json2Fetch(target.url, path, init),
    kw: (who, model, method, args, kwargs = {}) =>
      target.series === '19.0'
        ? json2Kw(target, target[who].key, model, method, args, kwargs)
        : rpc(target.url, 'object', 'execute_kw', [
            target.database,
            uids.get(who),
            target[who].key,
            model,
            method,
            args,
            kwargs,
          ]),
  };
  const records: StepRecord[] = [];
  for (const step of steps) {
    const started = performance.now();
    // A step that cannot run (an earlier answer it builds on is wrong) is a difference, not a crash.
    const answer: unknown = await Promise.resolve()
      .then(() => step.run(context))
      .catch((error: unknown) => ({
        stepFailed: error instanceof Error ? error.message.replace(/^(real|emulator): /, '') : String(error),
      }));
    const ms = performance.now() - started;
    if (typeof answer === 'object' && answer !== null && !Array.isArray(answer))
      answers.set(step.name, answer as RpcAnswer);
    const failed = typeof answer === 'object' && answer !== null && 'stepFailed' in answer;
    const view =
      step.view === undefined || failed
        ? answer
        : (step.view as (a: unknown, c: StepContext) => unknown)(answer, context);
    records.push({ name: step.name, answer, view: normalizeAnswer(view, context), ms });
  }
  return records;
}
