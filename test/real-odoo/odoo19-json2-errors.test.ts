import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError, type TargetOutcome } from '../../main/connectors/types.js';
import type { OdooConnector } from '../../main/connectors/odoo/index.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { integrationConnectors } from './support/integration-connectors.js';

// Odoo 19's JSON-2 errors through the console's own connector, with the least-privilege integration
// user's key: the class decides retry or exception, the message is what an IT person reads. Real 19
// answers 500 for any plain Python error (a misspelt field included) and HTML for a wrong database
// or content type, so the status alone says little. Every file here runs against 17 and 19; on 17
// each case checks instead that the connector speaks JSON-RPC there (JSON-2 starts with 19).

let odoo: RealOdoo;

beforeAll(async () => {
  odoo = await startRealOdoo();
});
afterAll(async () => {
  await closeAll();
  await odoo.stop();
});

const { connect, closeAll } = integrationConnectors(() => odoo);

const isOdoo19 = (): boolean => Number.parseFloat(odoo.series) >= 19;

/** Run `json2Case` on 19; on 17 the same connector must pick JSON-RPC, which these cases do not cover. */
async function onJson2(json2Case: () => Promise<void>): Promise<void> {
  if (isOdoo19()) {
    await json2Case();
    return;
  }
  expect(await connect().describe()).toMatchObject({ major: 17, protocol: 'json-rpc' });
}

async function rejection(call: Promise<unknown>): Promise<ConnectorError> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
  // Odoo's `debug` (its full server traceback) and HTML pages never reach an operator's message.
  expect(error.message).not.toMatch(/Traceback|File "|<html|<!DOCTYPE|<title/i);
  return error;
}

function failed(outcome: TargetOutcome | undefined): { class: string; code: string; message: string } {
  if (outcome === undefined || outcome.ok)
    throw new Error(`expected a failed outcome: ${JSON.stringify(outcome)}`);
  expect(outcome.error.message).not.toMatch(/Traceback|File "/);
  return outcome.error;
}

function readFirstPage(connector: OdooConnector, selector: Record<string, unknown>): Promise<unknown> {
  return connector
    .extract({ selector: { model: 'res.partner', ...selector }, cursor: null, pageSize: 10 })
    [Symbol.asyncIterator]()
    .next();
}

/** A loopback proxy in front of Odoo that drops a JSON-2 request's Content-Type, as a broken proxy would. */
async function contentTypeStrippingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host };
    // Only JSON-2 calls lose it: version detection over /jsonrpc has to pass to reach them.
    if (incoming.url?.startsWith('/json/2/') === true) delete headers['content-type'];
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Odoo 19 over JSON-2: version detection', () => {
  it('picks JSON-2 on 19 (with an API key) and JSON-RPC on 17', async () => {
    const info = await connect().describe();
    expect(info).toMatchObject(
      isOdoo19() ? { major: 19, protocol: 'json-2' } : { major: 17, protocol: 'json-rpc' },
    );
  });
});

describe('Odoo 19 over JSON-2: an unknown field answers 500 but is a permanent mapping error', () => {
  it('in the fields read', async () => {
    await onJson2(async () => {
      const error = await rejection(readFirstPage(connect(), { fields: ['name', 'no_such_field'] }));
      expect(error.toInfo()).toEqual({
        class: 'permanent',
        code: 'odoo.unknown-field',
        message:
          "Odoo has no field 'no_such_field' on res.partner. Odoo said: Invalid field 'no_such_field' on 'res.partner'",
      });
    });
  });

  it('in a search filter', async () => {
    await onJson2(async () => {
      const error = await rejection(
        readFirstPage(connect(), { domain: [['nope', '=', 1]], fields: ['name'] }),
      );
      expect(error).toMatchObject({ class: 'permanent', code: 'odoo.unknown-field' });
      expect(error.message).toMatch(
        /^Odoo has no field 'nope' on res\.partner \(used in a search filter\)\. Odoo said: Invalid field res\.partner\.nope in condition \('nope', '=', 1\)$/,
      );
    });
  });

  it('as a load column, for every row of the batch', async () => {
    await onJson2(async () => {
      const outcomes = await connect().upsert('res.partner', [
        { key: 'json2_field_a', payload: { name: 'A', no_such_field: 'y' } },
        { key: 'json2_field_b', payload: { name: 'B' } },
      ]);
      expect(outcomes).toHaveLength(2);
      for (const outcome of outcomes) {
        expect(failed(outcome)).toEqual({
          class: 'permanent',
          code: 'odoo.unknown-field',
          message:
            "Odoo has no field 'no_such_field' on res.partner: check the mapping's target fields. Odoo said: Invalid field name 'no_such_field'",
        });
      }
    });
  });
});

describe('Odoo 19 over JSON-2: answers in HTML are configuration errors, not parse errors', () => {
  it('a database the server does not serve (404 page)', async () => {
    await onJson2(async () => {
      const error = await rejection(connect({ database: 'no_such_db' }).fieldsGet('res.partner'));
      expect(error).toMatchObject({ class: 'configuration', code: 'odoo.database-missing' });
      expect(error.message).toMatch(/^There is no database 'no_such_db' on this Odoo server/);
    });
  });

  it('a call that reaches Odoo without its JSON content type (415 page)', async () => {
    await onJson2(async () => {
      const proxy = await contentTypeStrippingProxy(odoo.url);
      try {
        const error = await rejection(connect({}, odoo.integration.key, proxy.url).fieldsGet('res.partner'));
        expect(error).toMatchObject({ class: 'configuration', code: 'odoo.json2-content-type' });
        expect(error.message).toMatch(/^Odoo did not receive the call as JSON \(HTTP 415\)/);
      } finally {
        await proxy.close();
      }
    });
  });
});

describe('Odoo 19 over JSON-2: statuses with a JSON error body', () => {
  it('401: a wrong API key is an authentication failure', async () => {
    await onJson2(async () => {
      const error = await rejection(
        connect({}, '0123456789abcdef0123456789abcdef01234567').fieldsGet('res.partner'),
      );
      expect(error.toInfo()).toEqual({
        class: 'authentication',
        code: 'odoo.api-key-rejected',
        message: 'Odoo refused the stored API key (wrong, expired or revoked). Odoo said: Invalid apikey',
      });
    });
  });

  it('403: an access right the user lacks is an authorization problem, with Odoo’s message', async () => {
    await onJson2(async () => {
      const error = await rejection(connect().lookupExternalIds(['base.main_company']));
      expect(error).toMatchObject({ class: 'authentication', code: 'odoo.AccessError' });
      expect(error.message).toMatch(
        /^You are not allowed to access 'Model Data' \(ir\.model\.data\) records\./,
      );
    });
  });

  it('404: an unknown model and an unknown method', async () => {
    await onJson2(async () => {
      const model = await rejection(connect().create('res.nope', [{ name: 'X' }]));
      expect(model.toInfo()).toEqual({
        class: 'permanent',
        code: 'odoo.unknown-model',
        message:
          "Odoo has no model 'res.nope': the app that provides it is not installed on this database, or the name is misspelled. Odoo said: the model 'res.nope' does not exist",
      });
      const method = await rejection(connect().callMethod('res.partner', 'frobnicate', [1]));
      expect(method.toInfo()).toEqual({
        class: 'permanent',
        code: 'odoo.unknown-method',
        message:
          "Odoo model 'res.partner' has no method 'frobnicate'. Odoo said: The method 'res.partner.frobnicate' does not exist",
      });
    });
  });

  it('422: a ValidationError is permanent with Odoo’s message', async () => {
    await onJson2(async () => {
      const error = await rejection(connect().create('res.partner', [{ email: 'noname@example.com' }]));
      expect(error.toInfo()).toEqual({
        class: 'permanent',
        code: 'odoo.ValidationError',
        message: 'The operation cannot be completed: Contacts require a name',
      });
    });
  });
});
