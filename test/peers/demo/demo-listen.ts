import type { FastifyInstance } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import type { Core } from '../../../main/app/core-types.js';

/**
 * Binds the demo console's port BEFORE the demo writes anything to Odoo: a taken port used to end
 * the demo after it had already created master data and synced patients. The default port, when
 * taken, moves to a free one (the demo prints where it serves); a port asked for with --port is
 * refused instead, since whoever asked for it expects the console there.
 */

export class DemoPortTaken extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} on 127.0.0.1 is already in use, so the demo did not start and wrote nothing to Odoo. ` +
        'Stop what uses it, pass another --port, or leave --port out to take a free one.',
    );
    this.name = 'DemoPortTaken';
  }
}

export interface DemoListening {
  readonly port: number;
  /** The requested port was taken and the demo took a free one. */
  readonly movedFrom: number | null;
}

const HOST = '127.0.0.1';

function boundPort(app: FastifyInstance): number {
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the console has no address');
  return address.port;
}

export async function listenForDemo(
  app: FastifyInstance,
  port: number,
  explicit: boolean,
): Promise<DemoListening> {
  try {
    await app.listen({ host: HOST, port });
    return { port: boundPort(app), movedFrom: null };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    if (explicit) throw new DemoPortTaken(port);
  }
  await app.listen({ host: HOST, port: 0 });
  return { port: boundPort(app), movedFrom: port };
}

/**
 * Where the core's inbound webhook listener listens, read from its own services report (the core
 * starts it in the background); null when it is not up within a few seconds.
 */
export async function webhookListenerUrl(core: Core): Promise<string | null> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const url = core.servicesReport().webhookListenerUrl;
    if (url !== null) return url;
    await delay(100);
  }
  return null;
}
