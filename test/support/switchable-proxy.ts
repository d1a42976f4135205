import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP forwarder in front of a peer that can stop listening and listen again on the same
 * port: while refused, connecting gets ECONNREFUSED and the connections in flight are cut, as when
 * the peer's process is stopped; the peer (an in-process emulator) keeps its state meanwhile.
 */
export interface SwitchableProxy {
  readonly url: string;
  readonly port: number;
  /** Connections accepted so far (each one reached the peer). */
  readonly connections: number;
  /** Stops listening and cuts every connection in flight. */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

export async function startSwitchableProxy(peerPort: number): Promise<SwitchableProxy> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let server: Server | null = null;

  const listen = (port: number): Promise<Server> =>
    new Promise((resolve, reject) => {
      const next = createServer((client) => {
        connections += 1;
        const upstream = connect(peerPort, '127.0.0.1');
        sockets.add(client);
        sockets.add(upstream);
        const drop = (): void => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve(next));
    });

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const closing = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (closing === null) resolve();
      else closing.close(() => resolve());
    });

  server = await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    refuse: stop,
    accept: async () => {
      if (server === null) server = await listen(port);
    },
    close: stop,
  };
}
