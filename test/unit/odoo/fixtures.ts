import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Recorded Odoo 17 bodies from test/fixtures/odoo17. */
const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'odoo17');

export const fixtureNames = (suffix: string): string[] =>
  readdirSync(DIR)
    .filter((file) => file.endsWith(suffix))
    .sort();
export const fixtureText = (name: string): string => readFileSync(join(DIR, name), 'utf8');
export const fixtureJson = <T = unknown>(name: string): T => JSON.parse(fixtureText(name)) as T;
