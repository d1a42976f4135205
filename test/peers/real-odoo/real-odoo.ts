import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { OdooRpcClient, type OdooLogin } from './admin-rpc.js';
import { startOdooProcess, type OdooProcess } from './odoo-process.js';
import { cloneDatabase, dropDatabase } from './postgres.js';
import { readStage, type RealOdooStage } from './stage.js';

/**
 * A real Odoo for one suite: a fresh copy of the stage's template database (with its filestore) and
 * an Odoo process of its own on a free loopback port. `restart()` brings a stopped or killed server
 * back on the same port and database.
 */

export interface RealOdoo {
  readonly url: string;
  readonly database: string;
  readonly series: string;
  readonly admin: OdooLogin;
  readonly integration: OdooLogin;
  readonly integrationPassword: string;
  /** JSON-RPC as admin, independent of the console's connector: for reading Odoo back. */
  readonly adminRpc: OdooRpcClient;
  readonly userRpc: OdooRpcClient;
  process(): OdooProcess;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startRealOdoo(stage: RealOdooStage = readStage()): Promise<RealOdoo> {
  counter += 1;
  const database = `${stage.databasePrefix}${process.pid}_${counter}`;
  cloneDatabase(stage.pg, stage.template, database);
  const filestore = join(stage.dataDir, 'filestore', database);
  // Hard links, not copies: Odoo's filestore is content-addressed (a changed attachment is a new
  // file, a garbage-collected one is unlinked), so the copy and the template never change each
  // other's files, and linking takes a fraction of the second a byte copy took per suite.
  execFileSync('cp', ['-al', join(stage.dataDir, 'filestore', stage.template), filestore]);
  const options = {
    sourceDir: stage.sourceDir,
    dataDir: stage.dataDir,
    database,
    series: stage.series,
    pg: stage.pg,
    workDir: stage.workDir,
  };
  let server = await startOdooProcess(options);
  const url = server.url;
  return {
    url,
    database,
    series: stage.series,
    admin: stage.admin,
    integration: stage.integration,
    integrationPassword: stage.integrationPassword,
    adminRpc: new OdooRpcClient(url, database, stage.admin),
    userRpc: new OdooRpcClient(url, database, stage.integration),
    process: () => server,
    restart: async () => {
      await server.stop();
      server = await startOdooProcess({ ...options, port: server.port });
    },
    // The suite's end: the database is dropped right after, so Odoo is killed, not shut down (saves
    // ≈ 1.3 s per suite); `process().stop()` remains the clean SIGTERM the tests exercise.
    stop: async () => {
      await server.kill();
      dropDatabase(stage.pg, database);
      rmSync(filestore, { recursive: true, force: true });
    },
  };
}
