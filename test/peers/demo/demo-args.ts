import { parseArgs } from 'node:util';

/** The command line of `npm run demo` (start-demo.ts), checked before anything starts. */

export const DEFAULT_DEMO_PORT = 4780;

export interface RealOdooTarget {
  readonly url: string;
  readonly database: string;
  readonly login: string;
  readonly apiKey: string;
}

export interface DemoArgs {
  readonly port: number;
  /** Asked for with --port: when taken, the demo refuses instead of moving to a free port. */
  readonly portExplicit: boolean;
  readonly dataDir: string | undefined;
  /** A real Odoo instead of the emulator. */
  readonly odoo: RealOdooTarget | null;
  /** Only create the demo's master data in Odoo (an administrator's run), then exit. */
  readonly prepareOnly: boolean;
}

export const DEMO_USAGE = `npm run demo -- [--port 4780] [--data-dir DIR]
                [--odoo-url URL --odoo-db DB --odoo-user LOGIN [--prepare-odoo]]   (API key in ODOO_API_KEY)`;

export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv): DemoArgs | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'odoo-url': { type: 'string' },
        'odoo-db': { type: 'string' },
        'odoo-user': { type: 'string' },
        'prepare-odoo': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}\n${DEMO_USAGE}`;
  }
  const port = values.port === undefined ? DEFAULT_DEMO_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return `--port must be 0–65535, not "${values.port ?? ''}"`;

  let odoo: RealOdooTarget | null = null;
  if (values['odoo-url'] !== undefined) {
    const apiKey = env.ODOO_API_KEY ?? '';
    if (values['odoo-db'] === undefined || values['odoo-user'] === undefined || apiKey === '')
      return 'With --odoo-url, also pass --odoo-db and --odoo-user, and put the API key in ODOO_API_KEY.';
    odoo = { url: values['odoo-url'], database: values['odoo-db'], login: values['odoo-user'], apiKey };
  }
  if (values['prepare-odoo'] && odoo === null)
    return '--prepare-odoo prepares a real Odoo: pass --odoo-url, --odoo-db and --odoo-user too.';
  return {
    port,
    portExplicit: values.port !== undefined,
    dataDir: values['data-dir'],
    odoo,
    prepareOnly: values['prepare-odoo'],
  };
}
