import { request, Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { recordWrites, type RecordWrites } from './crash-resume-writes.js';

/**
 * A loopback HTTP proxy between the console and the real Odoo that counts what the console sends,
 * by protocol: JSON-2 calls (`/json/2/<model>/<method>`) and JSON-RPC `object` calls (execute_kw on
 * `/jsonrpc`). 19.0 still answers `/jsonrpc`, so a console that fell back to JSON-RPC would pass every
 * outcome check: only the wire shows which protocol did the work. Everything is forwarded unchanged;
 * a request whose client was SIGKILLed still reaches Odoo, as it would without the proxy. It also
 * counts the writes per record (crash-resume-writes.ts): how often each external ID was sent and
 * which Odoo ids Odoo answered for it.
 */

export interface ProtocolTraffic {
  /** `/json/2/...` calls. */
  json2: number;
  /** `/jsonrpc` with service `object` (the ORM calls). */
  jsonRpcObject: number;
  /** Other `/jsonrpc` services (`common.version`, `common.login`: detection and sign-in). */
  jsonRpcOther: number;
}

export interface CountingProxy {
  readonly url: string;
  traffic(): ProtocolTraffic;
  /** The writes the console sent to one model, per record. */
  writes(model: string): RecordWrites;
  close(): Promise<void>;
}

function jsonRpcService(body: Buffer): string | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { params?: { service?: unknown } };
    return typeof parsed.params?.service === 'string' ? parsed.params.service : null;
  } catch {
    return null;
  }
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const counts: ProtocolTraffic = { json2: 0, jsonRpcObject: 0, jsonRpcOther: 0 };
  const writes = recordWrites();

  const count = (path: string, body: Buffer): void => {
    if (path.startsWith('/json/2/')) counts.json2 += 1;
    else if (path.startsWith('/jsonrpc')) {
      if (jsonRpcService(body) === 'object') counts.jsonRpcObject += 1;
      else counts.jsonRpcOther += 1;
    }
  };

  const forward = (incoming: IncomingMessage, answer: ServerResponse, body: Buffer): void => {
    const path = incoming.url ?? '/';
    count(path, body);
    let observed = false;
    const observe = (answerText: string | null): void => {
      if (observed) return;
      observed = true;
      writes.observe(path, body.toString('utf8'), answerText);
    };
    const outgoing = request(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        const answerChunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => answerChunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(answerChunks);
          const text = (response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString(
            'utf8',
          );
          observe(text);
        });
        response.pipe(answer);
        response.on('error', () => {
          observe(null);
          answer.destroy();
        });
      },
    );
    // A call whose answer never came (the console was killed, or Odoo failed) may still have
    // written: it counts as sent, with no id learnt.
    outgoing.on('error', () => {
      observe(null);
      answer.destroy();
    });
    outgoing.end(body);
  };

  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(incoming, answer, Buffer.concat(chunks)));
    // The console was killed mid-request: nothing to answer.
    incoming.on('error', () => answer.destroy());
    answer.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    traffic: () => ({ ...counts }),
    writes: (model) => writes.of(model),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
