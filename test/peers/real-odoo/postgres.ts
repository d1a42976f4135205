import { execFileSync } from 'node:child_process';

/**
 * The machine's PostgreSQL, reached over TCP with trust auth as its superuser, only to create the
 * Odoo role and databases. Odoo itself refuses the superuser, so it gets a role of its own.
 */

export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly superuser: string;
}

export const ODOO_ROLE = 'osc_odoo';
export const ODOO_ROLE_PASSWORD = 'osc_odoo';

export function postgresAddress(env: NodeJS.ProcessEnv = process.env): PostgresAddress {
  return {
    host: env.OSC_PG_HOST ?? '127.0.0.1',
    port: Number(env.OSC_PG_PORT ?? 5432),
    superuser: env.OSC_PG_SUPERUSER ?? 'postgres',
  };
}

function baseArgs(pg: PostgresAddress, user: string): string[] {
  return ['-h', pg.host, '-p', String(pg.port), '-U', user];
}

/** One SQL statement as the superuser; returns the unaligned output. */
export function psql(pg: PostgresAddress, sql: string, database = 'postgres'): string {
  return execFileSync('psql', [...baseArgs(pg, pg.superuser), '-d', database, '-XAtq', '-c', sql], {
    encoding: 'utf8',
    env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A reason PostgreSQL cannot be used, or null. */
export function postgresProblem(pg: PostgresAddress): string | null {
  try {
    psql(pg, 'select 1');
    return null;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
    return `PostgreSQL at ${pg.host}:${pg.port} (user ${pg.superuser}) does not answer: ${detail}`;
  }
}

export function ensureOdooRole(pg: PostgresAddress): void {
  // The Odoo 17 and 19 stages may prepare at the same moment: a role the other stage created between
  // the check and the create is not an error.
  psql(
    pg,
    `do $$ begin create role ${ODOO_ROLE} login createdb password '${ODOO_ROLE_PASSWORD}'; ` +
      `exception when duplicate_object or unique_violation then null; end $$`,
  );
}

export function restoreDump(pg: PostgresAddress, database: string, dump: string): void {
  psql(pg, `create database "${database}" owner ${ODOO_ROLE}`);
  execFileSync('pg_restore', [...baseArgs(pg, ODOO_ROLE), '--no-owner', '-d', database, dump], {
    env: { ...process.env, PGPASSWORD: ODOO_ROLE_PASSWORD },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** A copy of a template database: much faster than restoring the dump again. */
export function cloneDatabase(pg: PostgresAddress, template: string, database: string): void {
  psql(pg, `create database "${database}" template "${template}" owner ${ODOO_ROLE}`);
}

export function dropDatabase(pg: PostgresAddress, database: string): void {
  psql(pg, `drop database if exists "${database}" with (force)`);
}

export function listDatabases(pg: PostgresAddress, prefix: string): string[] {
  return psql(pg, `select datname from pg_database where datname like '${prefix}%'`)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
