import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingOdooPackages } from '../../../scripts/odoo-prerequisites.mjs';
import { OdooRpcClient, type OdooLogin } from './admin-rpc.js';
import { createIntegrationUser, INTEGRATION_LOGIN, INTEGRATION_PASSWORD } from './integration-user.js';
import { PYTHON, startOdooProcess } from './odoo-process.js';
import {
  dropDatabase,
  ensureOdooRole,
  listDatabases,
  postgresAddress,
  postgresProblem,
  restoreDump,
  type PostgresAddress,
} from './postgres.js';
import { findOdooServerFiles } from './server-files.js';

/**
 * The real-Odoo stage, prepared once per test run: the source unpacked, the clean dump restored into
 * a template database, the least-privilege integration user created through JSON-RPC as admin, and
 * an API key made for both logins. Every suite then gets its own copy of that template.
 */

export interface RealOdooStage {
  readonly series: string;
  readonly workDir: string;
  readonly sourceDir: string;
  readonly dataDir: string;
  readonly template: string;
  /** Every database of this run starts with it, so teardown finds them all. */
  readonly databasePrefix: string;
  readonly pg: PostgresAddress;
  readonly admin: OdooLogin;
  readonly integration: OdooLogin;
  /** The integration user's password (for wrong-key tests that need a valid login). */
  readonly integrationPassword: string;
}

export const STAGE_ENV = 'OSC_REAL_ODOO_STAGE';

/** Why the real-Odoo stage cannot run here, or null when it can. */
export function stageProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  const files = findOdooServerFiles(env);
  if (!files.ok) return files.reason;
  const packages = missingOdooPackages();
  if (packages.length > 0)
    return `missing Debian packages: sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  return postgresProblem(postgresAddress(env));
}

function makeApiKeys(
  stage: Pick<RealOdooStage, 'sourceDir' | 'template'>,
  configFile: string,
): Record<string, string> {
  // 19.0's signature is _generate(scope, name, expiration_date), and only a system user may make a
  // key that never expires: the integration user's expires within a day (its groups' maximum).
  const script = [
    'import datetime, inspect, json',
    "gen = env['res.users.apikeys']._generate",
    "expiring = 'expiration_date' in inspect.signature(gen).parameters",
    'out = {}',
    `for login in ['admin', '${INTEGRATION_LOGIN}']:`,
    "    user = env['res.users'].search([('login', '=', login)])",
    "    keys = env['res.users.apikeys'].with_user(user)",
    '    if expiring:',
    '        until = None if user._is_system() else datetime.datetime.now() + datetime.timedelta(hours=23)',
    "        out[login] = keys._generate(None, 'osc-tests', until)",
    '    else:',
    "        out[login] = keys._generate(None, 'osc-tests')",
    'env.cr.commit()',
    "print('OSC_KEYS=' + json.dumps(out))",
  ].join('\n');
  const output = execFileSync(
    PYTHON,
    [join(stage.sourceDir, 'odoo-bin'), 'shell', '-c', configFile, '-d', stage.template, '--no-http'],
    { input: script, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] },
  );
  const line = output.split('\n').find((text) => text.startsWith('OSC_KEYS='));
  if (line === undefined) throw new Error('odoo-bin shell did not print the API keys');
  return JSON.parse(line.slice('OSC_KEYS='.length)) as Record<string, string>;
}

export async function prepareStage(env: NodeJS.ProcessEnv = process.env): Promise<RealOdooStage> {
  const problem = stageProblem(env);
  const lookup = findOdooServerFiles(env);
  if (problem !== null || !lookup.ok) throw new Error(`The real-Odoo stage cannot run: ${problem ?? ''}`);
  const { files } = lookup;
  const pg = postgresAddress(env);
  ensureOdooRole(pg);
  const workDir = mkdtempSync(join(tmpdir(), 'osc-real-odoo-'));
  const databasePrefix = `osc_rt_${process.pid}_`;
  const template = `${databasePrefix}tpl`;
  execFileSync('tar', ['-xJf', files.sourceArchive, '-C', workDir]);
  const sourceDir = join(workDir, `odoo-${files.series}`);
  const dataDir = join(workDir, 'data');
  const filestoreRoot = join(dataDir, 'filestore');
  mkdirSync(filestoreRoot, { recursive: true });
  execFileSync('tar', ['-xJf', files.filestoreArchive, '-C', filestoreRoot]);
  const [unpacked] = readdirSync(filestoreRoot);
  if (unpacked === undefined) throw new Error('The filestore archive is empty');
  renameSync(join(filestoreRoot, unpacked), join(filestoreRoot, template));
  restoreDump(pg, template, files.dump);

  const partial = { series: files.series, workDir, sourceDir, dataDir, template, databasePrefix, pg };
  const odoo = await startOdooProcess({
    sourceDir,
    dataDir,
    database: template,
    series: files.series,
    pg,
    workDir,
  });
  try {
    await createIntegrationUser(new OdooRpcClient(odoo.url, template, { login: 'admin', key: 'admin' }));
  } finally {
    await odoo.stop();
  }
  const keys = makeApiKeys(partial, odoo.configFile);
  const adminKey = keys.admin;
  const integrationKey = keys[INTEGRATION_LOGIN];
  if (adminKey === undefined || integrationKey === undefined) throw new Error('API keys were not made');
  return {
    ...partial,
    admin: { login: 'admin', key: adminKey },
    integration: { login: INTEGRATION_LOGIN, key: integrationKey },
    integrationPassword: INTEGRATION_PASSWORD,
  };
}

export function writeStageFile(stage: RealOdooStage): string {
  const file = join(stage.workDir, 'stage.json');
  writeFileSync(file, JSON.stringify(stage), { mode: 0o600 });
  return file;
}

export function readStage(env: NodeJS.ProcessEnv = process.env): RealOdooStage {
  const file = env[STAGE_ENV];
  if (file === undefined)
    throw new Error(`${STAGE_ENV} is not set: run the real-Odoo suite with npm run test:odoo`);
  return JSON.parse(readFileSync(file, 'utf8')) as RealOdooStage;
}

export function teardownStage(stage: RealOdooStage): void {
  for (const database of listDatabases(stage.pg, stage.databasePrefix)) dropDatabase(stage.pg, database);
  rmSync(stage.workDir, { recursive: true, force: true });
}
