import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the real Odoo server comes from: a folder (ODOO_SERVER_DIR) that holds a trimmed Odoo
 * source archive, a clean database dump and its filestore. Nothing of it is copied into the project.
 */

export interface OdooServerFiles {
  readonly dir: string;
  /** e.g. '17.0' or '19.0', from the source archive's name. */
  readonly series: string;
  readonly sourceArchive: string;
  readonly dump: string;
  readonly filestoreArchive: string;
}

export type ServerFilesLookup =
  { readonly ok: true; readonly files: OdooServerFiles } | { readonly ok: false; readonly reason: string };

export function findOdooServerFiles(env: NodeJS.ProcessEnv = process.env): ServerFilesLookup {
  const configured = env.ODOO_SERVER_DIR;
  if (configured === undefined || configured === '') {
    return {
      ok: false,
      reason:
        'ODOO_SERVER_DIR is not set. Point it at a folder holding odoo-<series>-trimmed.tar.xz, ' +
        'odoo<NN>-clean.pgdump and odoo<NN>-clean-filestore.tar.xz.',
    };
  }
  const dir = resolve(configured);
  if (!existsSync(dir)) return { ok: false, reason: `ODOO_SERVER_DIR=${dir} does not exist.` };
  const names = readdirSync(dir);
  const source = names.find((name) => /^odoo-\d+\.\d+-trimmed\.tar\.xz$/.test(name));
  const dump = names.find((name) => /^odoo\d+-clean\.pgdump$/.test(name));
  const filestore = names.find((name) => /^odoo\d+-clean-filestore\.tar\.xz$/.test(name));
  const absent = [
    source === undefined ? 'odoo-<series>-trimmed.tar.xz' : null,
    dump === undefined ? 'odoo<NN>-clean.pgdump' : null,
    filestore === undefined ? 'odoo<NN>-clean-filestore.tar.xz' : null,
  ].filter((name): name is string => name !== null);
  if (source === undefined || dump === undefined || filestore === undefined) {
    return { ok: false, reason: `ODOO_SERVER_DIR=${dir} lacks ${absent.join(', ')}.` };
  }
  const series = /^odoo-(\d+\.\d+)-/.exec(source)?.[1] ?? '?';
  return {
    ok: true,
    files: {
      dir,
      series,
      sourceArchive: join(dir, source),
      dump: join(dir, dump),
      filestoreArchive: join(dir, filestore),
    },
  };
}
