import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from './database.js';
import { EmulatorState, type EmulatorUser } from './emulator-state.js';
import { FaultController } from './faults.js';
import { sendHtml } from './http-io.js';
import { NO_LATENCY, type LatencyModel } from './latency.js';
import { handleRequest } from './routes.js';
import { baseSeed, baseUsers, seedOdoo, type SeedData } from './seed.js';

/**
 * An HTTP server that answers like Odoo 17 (JSON-RPC) or Odoo 19 (JSON-RPC + JSON-2), in the exact
 * shapes recorded from a real server (test/fixtures/odoo17). For integration tests, benches and
 * `npm run demo`. Listens on 127.0.0.1, port 0 (any free port) unless told otherwise.
 */

export interface EmulatorApiKeyOption {
  readonly key: string;
  /** Login of the key's owner; default 'admin'. */
  readonly login?: string;
  readonly name?: string;
  /** Odoo datetime after which the key stops working; default never. */
  readonly expiresAt?: string | null;
}

export interface OdooEmulatorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly version?: '17.0' | '19.0';
  readonly database?: string;
  readonly adminPassword?: string;
  readonly apiKeys?: readonly EmulatorApiKeyOption[];
  /** Users beyond admin (uid 2) and demo (uid 6); give them groups, e.g. INTEGRATION_GROUPS. */
  readonly extraUsers?: readonly EmulatorUser[];
  /** Latency like a real server: REAL_ODOO17_LATENCY is calibrated on one; default none. */
  readonly latency?: Partial<LatencyModel>;
  readonly clock?: Clock;
  readonly maxBodyBytes?: number;
  /** Extra data on top of the base seed (the demo clinic passes its partners, products, …). */
  readonly seed?: SeedData;
}

export interface OdooEmulator {
  readonly url: string;
  readonly port: number;
  readonly faults: FaultController;
  readonly state: EmulatorState;
  close(): Promise<void>;
}

export async function startOdooEmulator(options: OdooEmulatorOptions = {}): Promise<OdooEmulator> {
  const version = options.version ?? '17.0';
  const state = new EmulatorState(
    options.database ?? (version === '19.0' ? 'odoo19' : 'odoo17'),
    version,
    options.clock,
  );
  seedOdoo(state, baseSeed(version));
  for (const user of [...baseUsers(options.adminPassword ?? 'admin'), ...(options.extraUsers ?? [])])
    state.addUser(user);
  for (const apiKey of options.apiKeys ?? []) {
    const owner = [...state.users.values()].find((user) => user.login === (apiKey.login ?? 'admin'));
    if (owner === undefined) throw new Error(`Emulator: no user '${apiKey.login ?? 'admin'}' for an API key`);
    state.addApiKey({
      key: apiKey.key,
      uid: owner.uid,
      name: apiKey.name ?? 'integration key',
      expiresAt: apiKey.expiresAt ?? null,
    });
  }
  if (options.seed !== undefined) seedOdoo(state, options.seed);

  const faults = new FaultController(state);
  const context = {
    state,
    faults,
    latency: { ...NO_LATENCY, ...options.latency },
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
  };
  const server: Server = createServer((request, response) => {
    handleRequest(context, request, response).catch((error: unknown) => {
      // A bug in the emulator must be visible to the test, not turned into a hang.
      if (!response.headersSent)
        sendHtml(response, 500, `<h1>Emulator error</h1><pre>${String(error)}</pre>`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
