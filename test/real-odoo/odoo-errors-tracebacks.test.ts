import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectorError, type TargetOutcome } from '../../main/connectors/types.js';
import { createLogger } from '../../main/log/logger.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { integrationConnectors } from './support/integration-connectors.js';

// Odoo sends its whole server traceback with every error: JSON-2's `debug` field (19.0) and
// JSON-RPC's `error.data.debug` (17.0), file paths and source lines included. None of it may reach
// what an operator or a log reader sees: a ConnectorError's message, its text and stack, the errors
// it was caused by, a failed record's message (what the store keeps), the connector's log lines or
// the console. Each case first shows that the real server did send a traceback, so the test cannot
// pass because there was nothing to leak.

let odoo: RealOdoo;
const logged: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString());
      done();
    },
  }),
});

beforeAll(async () => {
  odoo = await startRealOdoo();
});
afterAll(async () => {
  await closeAll();
  await odoo.stop();
});

const { connect, closeAll } = integrationConnectors(() => odoo, logger);

const isOdoo19 = (): boolean => Number.parseFloat(odoo.series) >= 19;

/** What a Python traceback looks like in any of its pieces. */
const TRACEBACK = /Traceback \(most recent call last\)|File "[^"]*", line \d+|\.py", line/;

/** The error Odoo itself answers for `model.method(kwargs)` as the integration user, as raw text. */
async function rawAnswer(model: string, method: string, kwargs: Record<string, unknown>): Promise<string> {
  if (isOdoo19()) {
    const answer = await fetch(`${odoo.url}/json/2/${model}/${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `bearer ${odoo.integration.key}`,
        'x-odoo-database': odoo.database,
      },
      body: JSON.stringify(kwargs),
    });
    return answer.text();
  }
  const uid = await odoo.userRpc.login();
  const answer = await fetch(`${odoo.url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      method: 'call',
      params: {
        service: 'object',
        method: 'execute_kw',
        args: [odoo.database, uid, odoo.integration.key, model, method, [], kwargs],
      },
      id: 1,
    }),
  });
  return answer.text();
}

/** Every text the error carries: its message, its string, its stack, and the same of every cause. */
function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      texts.push(current.message, String(current), current.stack ?? '');
      current = current.cause;
    } else {
      texts.push(typeof current === 'string' ? current : JSON.stringify(current));
      current = undefined;
    }
  }
  return texts;
}

/** Console output and log lines written while `run` ran, with what it returned or threw. */
async function watched<T>(run: () => Promise<T>): Promise<{ result: T | ConnectorError; printed: string[] }> {
  const printed: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    }),
  );
  logged.length = 0;
  try {
    const result = await run().catch((error: unknown) => {
      if (error instanceof ConnectorError) return error;
      throw error;
    });
    return { result, printed: [...printed, ...logged] };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function expectNoTraceback(texts: readonly string[]): void {
  for (const text of texts) expect(text).not.toMatch(TRACEBACK);
}

async function expectRefusedWithoutTraceback(
  run: () => Promise<unknown>,
  expected: { class: string; code: string },
): Promise<void> {
  const { result, printed } = await watched(run);
  expect(result).toBeInstanceOf(ConnectorError);
  expect(result).toMatchObject(expected);
  expectNoTraceback([...errorTexts(result), ...printed]);
}

describe('a server traceback never reaches an error, a stored message, a log line or the console', () => {
  it('an unknown field in the fields read (JSON-2: 500)', async () => {
    expect(await rawAnswer('res.partner', 'search_read', { domain: [], fields: ['no_such_field'] })).toMatch(
      TRACEBACK,
    );
    await expectRefusedWithoutTraceback(
      () =>
        connect()
          .extract({
            selector: { model: 'res.partner', fields: ['name', 'no_such_field'] },
            cursor: null,
            pageSize: 10,
          })
          [Symbol.asyncIterator]()
          .next(),
      { class: 'permanent', code: 'odoo.unknown-field' },
    );
  });

  it('an unknown load column, reported on every record of the batch (JSON-2: 500)', async () => {
    expect(
      await rawAnswer('res.partner', 'load', {
        fields: ['id', 'name', 'no_such_field'],
        data: [['osc_trace.a', 'A', 'y']],
      }),
    ).toMatch(TRACEBACK);
    const { result, printed } = await watched(() =>
      connect().upsert('res.partner', [
        { key: 'trace_field_a', payload: { name: 'A', no_such_field: 'y' } },
        { key: 'trace_field_b', payload: { name: 'B' } },
      ]),
    );
    const outcomes = result as TargetOutcome[];
    expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.error.code))).toEqual([
      'odoo.unknown-field',
      'odoo.unknown-field',
    ]);
    expectNoTraceback([...outcomes.map((outcome) => JSON.stringify(outcome)), ...printed]);
  });

  it('a record Odoo refuses (JSON-2: 422 ValidationError)', async () => {
    expect(await rawAnswer('res.partner', 'create', { vals_list: [{ email: 'x@example.com' }] })).toMatch(
      TRACEBACK,
    );
    await expectRefusedWithoutTraceback(() => connect().create('res.partner', [{ email: 'x@example.com' }]), {
      class: 'permanent',
      code: 'odoo.ValidationError',
    });
  });

  it('a right the integration user lacks (JSON-2: 403 AccessError)', async () => {
    expect(
      await rawAnswer('ir.model.data', 'search_read', { domain: [], fields: ['name'], limit: 1 }),
    ).toMatch(TRACEBACK);
    await expectRefusedWithoutTraceback(() => connect().lookupExternalIds(['base.main_company']), {
      class: 'authentication',
      code: 'odoo.AccessError',
    });
  });
});
