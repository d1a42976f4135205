// `npm run demo`: the demo clinic (PRODUCT.md section 7) on this machine. Opens a fresh console
// data folder and binds the console's port, starts the Odoo and FHIR emulators (in their own process)
// and the demo supplier portal, prepares Odoo's master data (create what is missing, by external
// ID), seeds connections (secrets into the OS keychain), mappings and flows through the real
// contract, and prints where to open the console. The flows then run on their own schedules.
//
//   node --import tsx test/peers/demo/start-demo.ts [--port 4780] [--data-dir DIR]
//        [--odoo-url URL --odoo-db DB --odoo-user LOGIN [--prepare-odoo]]   (API key in ODOO_API_KEY)
//
// Nothing is written to Odoo before the port is bound and Odoo is known to be ready (or made ready),
// so a start that cannot finish leaves Odoo as it was. Exit codes: 2 bad arguments or port taken,
// 3 Odoo not prepared and this login may not prepare it, 1 anything else.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '../../../main/app/core.js';
import { createLogger } from '../../../main/log/logger.js';
import { createHttpServer } from '../../../main/server/http-server.js';
import { startSupplierPortal, writeDemoSupplierDrop } from '../supplier-portal/index.js';
import { parseDemoArgs, type DemoArgs, type RealOdooTarget } from './demo-args.js';
import { listenForDemo, webhookListenerUrl, type DemoListening } from './demo-listen.js';
import { demoOdooSettings } from './demo-odoo-access.js';
import { describeDemoOdooModels } from './demo-odoo-models.js';
import { createDemoOperators } from './demo-operators.js';
import { DemoOdooNotReady, prepareDemoOdoo, type DemoOdooPreparation } from './prepare-odoo.js';
import { reportPortalDeliveries } from './report-portal.js';
import { seedDemoChargeHistory } from './demo-anomaly-history.js';
import { seedDemoClinic } from './seed-demo-clinic.js';
import { spawnEmulators, type EmulatorsProcess } from './spawn-emulators.js';

const parsedArgs = parseDemoArgs(process.argv.slice(2), process.env);
if (typeof parsedArgs === 'string') {
  process.stderr.write(`${parsedArgs}\n`);
  process.exit(2);
}
const args: DemoArgs = parsedArgs;
const say = (text: string): boolean => process.stdout.write(`${text}\n`);
const fail = (text: string, code: number): never => {
  process.stderr.write(`${text}\n`);
  process.exit(code);
};

function describePreparation(prepared: DemoOdooPreparation): string {
  const { created } = prepared;
  const total = Object.values(created).reduce((sum, count) => sum + count, 0);
  if (total === 0)
    return `Odoo already holds the demo's master data (${prepared.existing} records): nothing created.`;
  return (
    `Prepared Odoo: created ${created['stock.location']} location, ${created['product.product']} products, ` +
    `${created['res.partner']} suppliers, ${created['purchase.order']} purchase orders ` +
    `(${prepared.existing} were there already).`
  );
}

async function prepareOrExplain(odoo: RealOdooTarget): Promise<DemoOdooPreparation> {
  try {
    return await prepareDemoOdoo(demoOdooSettings(odoo), odoo.apiKey);
  } catch (error) {
    if (error instanceof DemoOdooNotReady) throw error;
    throw new Error(
      `could not prepare Odoo's master data: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

// An administrator's run: create the master data, say what was done, and stop.
if (args.prepareOnly && args.odoo !== null) {
  try {
    const prepared = await prepareOrExplain(args.odoo);
    say(describeDemoOdooModels(prepared.models));
    say(describePreparation(prepared));
    process.exit(0);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), error instanceof DemoOdooNotReady ? 3 : 1);
  }
}

const dataDir = resolve(
  args.dataDir ?? join('.osc-data', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`),
);
const freshDataDir = !existsSync(dataDir);
// A data folder that already holds a store is reopened as it is (after a crash or a stop): the
// console and its services (listener, watchers, outbound resume) start on it, nothing is seeded.
const reopening = existsSync(join(dataDir, 'osc.sqlite'));
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const logger = createLogger();
// The demo's inbound webhook listener takes a free port (several demos may run at once); it is printed.
const core = await createCore({ dataDir, logger, services: { webhookListener: { port: 0 } } });
const app = await createHttpServer({ core, logger });
/** A start that wrote nothing leaves no half-made data folder behind. */
const abandon = async (text: string, code: number): Promise<never> => {
  await app.close();
  await core.close();
  if (freshDataDir) rmSync(dataDir, { recursive: true, force: true });
  return fail(text, code);
};

let listening: DemoListening;
try {
  listening = await listenForDemo(app, args.port, args.portExplicit);
} catch (error) {
  listening = await abandon(error instanceof Error ? error.message : String(error), 2);
}

const stopOnSignal = (stopAll: () => Promise<void>): void => {
  const stop = (): void => void stopAll().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};
const listenerLine = async (): Promise<string> =>
  `  inbound webhook listener: ${(await webhookListenerUrl(core)) ?? 'not listening (see the Overview page)'}`;

if (reopening) {
  say(
    [
      `Reopened the demo data folder ${dataDir} (sign in with the passwords printed when it was created).`,
      await listenerLine(),
      `The demo clinic console is serving http://127.0.0.1:${listening.port}/`,
    ].join('\n'),
  );
  stopOnSignal(async () => {
    await app.close();
    await core.close();
  });
} else {
  await startFreshDemo();
}

async function startFreshDemo(): Promise<void> {
  const dropFolder = join(dataDir, 'supplier-drop', 'incoming');
  const keys = {
    odooApiKey: args.odoo?.apiKey ?? randomBytes(20).toString('hex'),
    fhirToken: randomBytes(20).toString('hex'),
  };
  const portalSecret = randomBytes(20).toString('hex');
  let emulators: EmulatorsProcess;
  try {
    emulators = await spawnEmulators({ ...keys, fhirSeed: 'demo-clinic' });
  } catch (error) {
    emulators = await abandon(
      `demo failed to start: ${error instanceof Error ? error.message : String(error)}`,
      1,
    );
  }
  const portal = await startSupplierPortal({ secret: portalSecret });
  const stopAll = async (): Promise<void> => {
    await app.close();
    await core.close();
    await portal.close();
    await emulators.close();
  };
  const odoo: RealOdooTarget = args.odoo ?? {
    url: emulators.odooUrl,
    database: emulators.odooDatabase,
    login: 'admin',
    apiKey: keys.odooApiKey,
  };

  let prepared: DemoOdooPreparation;
  try {
    prepared = await prepareOrExplain(odoo);
  } catch (error) {
    await portal.close();
    await emulators.close();
    prepared = await abandon(
      error instanceof Error ? error.message : String(error),
      error instanceof DemoOdooNotReady ? 3 : 1,
    );
  }

  try {
    await writeDemoSupplierDrop(dropFolder);
    const operators = await createDemoOperators(core);
    const clinic = await seedDemoClinic(
      operators.it,
      operators.admin,
      {
        odoo,
        fhir: { url: emulators.fhirUrl, token: keys.fhirToken },
        supplierPortal: { url: portal.url, signingSecret: portalSecret },
        supplierDrop: { folder: dropFolder },
      },
      { schedules: 'cron', odooModels: prepared.models },
    );
    // The billing history the service charges' anomaly watch judges against (a fresh demo has none).
    seedDemoChargeHistory(dataDir, clinic.flows.serviceCharges.id);
    // Invoices name their patients, so the patients go first; everything else follows its schedule.
    await operators.it.value('flows.runNow', { id: clinic.flows.patients.id });
    reportPortalDeliveries(portal, say);
    say(
      [
        '',
        describeDemoOdooModels(prepared.models),
        describePreparation(prepared),
        ...(listening.movedFrom === null
          ? []
          : [`Port ${listening.movedFrom} is in use, so the console took the free port ${listening.port}.`]),
        `The demo clinic console is serving http://127.0.0.1:${listening.port}/`,
        `  sign in as "admin" (administrator) with password ${operators.passwords.admin}`,
        `  or as "it" (IT staff) with password ${operators.passwords.it}`,
        `  or as "finance" (finance: the exceptions inbox) with password ${operators.passwords.finance}`,
        `  Odoo: ${args.odoo === null ? `emulator at ${emulators.odooUrl}` : odoo.url}; EHR (FHIR): ${emulators.fhirUrl}`,
        `  supplier portal webhook: ${portal.url}; CSV drop: ${dropFolder}`,
        await listenerLine(),
        `  data folder: ${dataDir}`,
        'Flows run every minute or two on their own. Ctrl+C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`demo failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll();
    process.exit(1);
  }

  stopOnSignal(stopAll);
}
