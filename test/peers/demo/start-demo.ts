// `npm run demo`: the demo clinic (PRODUCT.md section 7) on this machine. Starts the Odoo and FHIR
// emulators (in their own process) and the demo supplier portal, opens a fresh console data folder,
// seeds connections (secrets into the OS keychain), mappings and flows through the real contract,
// serves the console and prints where to open it. The flows then run on their own schedules.
//
//   node --import tsx test/peers/demo/start-demo.ts [--port 4780] [--data-dir DIR]
//        [--odoo-url URL --odoo-db DB --odoo-user LOGIN]   (API key in ODOO_API_KEY)
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../../../main/app/core.js';
import { createLogger } from '../../../main/log/logger.js';
import { createHttpServer } from '../../../main/server/http-server.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import { startSupplierPortal, writeDemoSupplierDrop } from '../supplier-portal/index.js';
import { createDemoPurchaseOrders, upsertDemoProducts } from './demo-products.js';
import { createDemoOperators } from './demo-operators.js';
import { seedDemoClinic } from './seed-demo-clinic.js';
import { spawnEmulators, type EmulatorsProcess } from './spawn-emulators.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4780' },
    'data-dir': { type: 'string' },
    'odoo-url': { type: 'string' },
    'odoo-db': { type: 'string' },
    'odoo-user': { type: 'string' },
  },
});
const realOdoo = values['odoo-url'] !== undefined;
if (
  realOdoo &&
  (values['odoo-db'] === undefined || values['odoo-user'] === undefined || !process.env.ODOO_API_KEY)
) {
  process.stderr.write(
    'With --odoo-url, also pass --odoo-db and --odoo-user, and put the API key in ODOO_API_KEY.\n',
  );
  process.exit(2);
}

const dataDir = resolve(
  values['data-dir'] ?? join('.osc-data', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`),
);
const dropFolder = join(dataDir, 'supplier-drop', 'incoming');
const keys = {
  odooApiKey: process.env.ODOO_API_KEY ?? randomBytes(20).toString('hex'),
  fhirToken: randomBytes(20).toString('hex'),
};
const portalSecret = randomBytes(20).toString('hex');

const emulators: EmulatorsProcess = await spawnEmulators({ ...keys, fhirSeed: 'demo-clinic' });
const portal = await startSupplierPortal({ secret: portalSecret });
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
await writeDemoSupplierDrop(dropFolder);

const logger = createLogger();
const core = await createCore({ dataDir, logger });
const app = await createHttpServer({ core, logger });
const stopAll = async (): Promise<void> => {
  await app.close();
  await core.close();
  await portal.close();
  await emulators.close();
};

try {
  const odoo = {
    url: values['odoo-url'] ?? emulators.odooUrl,
    database: values['odoo-db'] ?? emulators.odooDatabase,
    login: values['odoo-user'] ?? 'admin',
    apiKey: keys.odooApiKey,
  };
  const odooSettings: OdooSettings = {
    kind: 'odoo',
    baseUrl: odoo.url,
    database: odoo.database,
    login: odoo.login,
    authMethod: 'api-key',
    protocol: 'auto',
    externalIdModule: 'osc_sync',
    allowInsecureHttp: /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(odoo.url),
    maxConcurrentCalls: 2,
    maxCallsPerSecond: 10,
    timeoutMs: 30_000,
  };
  // Master data the flows refer to by external ID, created (or updated) by external ID.
  await upsertDemoProducts(odooSettings, odoo.apiKey);
  await createDemoPurchaseOrders(odooSettings, odoo.apiKey);
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
    { schedules: 'cron' },
  );
  // Invoices name their patients, so the patients go first; everything else follows its schedule.
  await operators.it.value('flows.runNow', { id: clinic.flows.patients.id });

  await app.listen({ host: '127.0.0.1', port: Number(values.port) });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : Number(values.port);
  process.stdout.write(
    [
      '',
      `The demo clinic console is serving http://127.0.0.1:${port}/`,
      `  sign in as "admin" (administrator) with password ${operators.passwords.admin}`,
      `  or as "it" (IT staff) with password ${operators.passwords.it}`,
      `  Odoo: ${realOdoo ? odoo.url : `emulator at ${emulators.odooUrl}`}; EHR (FHIR): ${emulators.fhirUrl}`,
      `  supplier portal webhook: ${portal.url}; CSV drop: ${dropFolder}`,
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

const stop = (): void => {
  void stopAll().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
