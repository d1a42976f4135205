import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { defaultDataDir } from '../paths/default-data-dir.js';

// Commands are imported when run, not at start: `osc serve` must be up in well under a second, and
// loading every connector and the engine for `osc --help` would waste most of it.

const USAGE = `osc — Odoo Sync Console command line

  osc serve        [--data-dir DIR] [--host 127.0.0.1] [--port 4780] [--tls-cert F --tls-key F] [--insecure-http]
                   [--allowed-host NAME]...   host names browsers may use besides the bound address
                   [--webhook-host 127.0.0.1] [--webhook-port 4781]   where partners post webhooks (one listener)
  osc verify-audit [--data-dir DIR]                   walk the audit hash chain; exit 1 naming the first broken row
  osc verify-audit --checkpoint FILE --public-key FILE [--data-dir DIR]
                                                      prove rows #1..#seq are the ones a signed checkpoint covers, or name the first that differs
  osc audit-checkpoint [--out FILE] [--data-dir DIR]  sign a checkpoint of the audit head now (key in the OS keychain); --out exports it
  osc export-checkpoint --out FILE [--id N] [--data-dir DIR]   a stored checkpoint as the JSON file an auditor keeps
  osc audit-public-key [--out FILE] [--data-dir DIR]  the PEM public key that verifies this store's checkpoints
  osc prove-audit  SEQ [--checkpoint FILE] [--out FILE] [--data-dir DIR]   RFC 6962 inclusion proof of row SEQ (JSON)
  osc verify-proof --proof FILE --checkpoint FILE --public-key FILE      check an inclusion proof (no store needed)
  osc export-audit --from ISO --to ISO [--out FILE] [--data-dir DIR]   the audit rows of [from, to) as CSV (read-only)
  osc verify-store [--data-dir DIR]                   full SQLite integrity_check, then the audit chain; exit 1 on damage
  osc backup       [--data-dir DIR]                   online backup of the store into DIR/backups/
  osc restore      BACKUP_FILE [--data-dir DIR]       verify a backup (integrity, schema, audit chain), then swap it in;
                                                      the console must be stopped; the replaced store is kept in DIR/replaced/
                   [--public-key FILE]                also refuse unless every checkpoint in it is signed by that key
  osc flows        [--data-dir DIR]                   list flows, their state and last run
  osc run-flow     NAME|ID [--backfill-from DATE] [--data-dir DIR]   run a flow now and print its counts
  osc export-config [--out FILE] [--data-dir DIR]     connections (no secrets), mappings and flows as JSON
  osc import-config FILE [--data-dir DIR]             add them to this console (mappings arrive as drafts)

--data-dir defaults to ${defaultDataDir()}.
`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4780' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'insecure-http': { type: 'boolean', default: false },
      'allowed-host': { type: 'string', multiple: true, default: [] },
      'webhook-host': { type: 'string', default: '127.0.0.1' },
      'webhook-port': { type: 'string', default: '4781' },
      help: { type: 'boolean', short: 'h', default: false },
      out: { type: 'string' },
      'backfill-from': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      checkpoint: { type: 'string' },
      'public-key': { type: 'string' },
      proof: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const port = portOption('--port', values.port);

  switch (command) {
    case 'verify-audit': {
      if (values.checkpoint !== undefined) {
        const { verifyCheckpointCommand } = await import('./commands/verify-checkpoint.js');
        return verifyCheckpointCommand(
          { dataDir, checkpoint: resolve(values.checkpoint), publicKey: values['public-key'] },
          process.stdout,
        );
      }
      const { verifyAuditCommand } = await import('./commands/verify-audit.js');
      return verifyAuditCommand({ dataDir }, process.stdout);
    }
    case 'audit-checkpoint': {
      const { auditCheckpointCommand } = await import('./commands/audit-checkpoint.js');
      return auditCheckpointCommand({ dataDir, out: values.out }, process.stdout);
    }
    case 'export-checkpoint': {
      const { exportCheckpointCommand } = await import('./commands/audit-checkpoint.js');
      const id = values.id === undefined ? undefined : Number(values.id);
      return exportCheckpointCommand({ dataDir, out: values.out, id }, process.stdout);
    }
    case 'audit-public-key': {
      const { auditPublicKeyCommand } = await import('./commands/audit-checkpoint.js');
      return auditPublicKeyCommand({ dataDir, out: values.out }, process.stdout);
    }
    case 'prove-audit': {
      const seq = Number(positionals[1]);
      if (!Number.isSafeInteger(seq) || seq < 1) throw new Error('prove-audit needs a row number (SEQ >= 1)');
      const { proveAuditCommand } = await import('./commands/verify-checkpoint.js');
      return proveAuditCommand(
        { dataDir, seq, checkpoint: values.checkpoint, out: values.out },
        process.stdout,
      );
    }
    case 'verify-proof': {
      const { verifyProofCommand } = await import('./commands/verify-checkpoint.js');
      return verifyProofCommand(
        { proof: values.proof, checkpoint: values.checkpoint, publicKey: values['public-key'] },
        process.stdout,
      );
    }
    case 'export-audit': {
      const { exportAuditCommand } = await import('./commands/export-audit.js');
      const out = values.out === undefined ? undefined : resolve(values.out);
      return exportAuditCommand({ dataDir, from: values.from, to: values.to, out }, process.stdout);
    }
    case 'verify-store': {
      const { verifyStoreCommand } = await import('./commands/verify-store.js');
      return verifyStoreCommand({ dataDir }, process.stdout);
    }
    case 'backup': {
      const { backupCommand } = await import('./commands/backup.js');
      return backupCommand({ dataDir }, process.stdout);
    }
    case 'restore': {
      const backup = positionals[1];
      if (backup === undefined) throw new Error('restore needs a backup file (DIR/backups/osc-….sqlite)');
      const { restoreCommand } = await import('./commands/restore.js');
      return restoreCommand({ dataDir, backup, publicKey: values['public-key'] }, process.stdout);
    }
    case 'flows': {
      const { flowsCommand } = await import('./commands/flows.js');
      return flowsCommand({ dataDir }, process.stdout);
    }
    case 'run-flow': {
      const flow = positionals[1];
      if (flow === undefined) throw new Error('run-flow needs a flow name or id (see osc flows)');
      const { runFlowCommand } = await import('./commands/run-flow.js');
      return runFlowCommand({ dataDir, flow, backfillFrom: values['backfill-from'] }, process.stdout);
    }
    case 'export-config': {
      const { exportConfigCommand } = await import('./commands/export-config.js');
      return exportConfigCommand({ dataDir, out: values.out }, process.stdout);
    }
    case 'import-config': {
      const file = positionals[1];
      if (file === undefined) throw new Error('import-config needs a file');
      const { importConfigCommand } = await import('./commands/import-config.js');
      return importConfigCommand({ dataDir, file: resolve(file) }, process.stdout);
    }
    case 'serve': {
      const { startServer } = await import('./commands/serve.js');
      const server = await startServer(
        {
          dataDir,
          host: values.host,
          port,
          tlsCert: values['tls-cert'],
          tlsKey: values['tls-key'],
          insecureHttp: values['insecure-http'],
          allowedHosts: values['allowed-host'],
          webhookHost: values['webhook-host'],
          webhookPort: portOption('--webhook-port', values['webhook-port']),
        },
        process.stdout,
      );
      await new Promise<void>((done) => {
        const stop = (): void => void server.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`osc: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);

function portOption(flag: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`${flag} must be 0–65535, not "${text}"`);
  return port;
}
