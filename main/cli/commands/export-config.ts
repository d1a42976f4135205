import { writeFileSync } from 'node:fs';
import { exportConfig } from '../../engine/config/export-config.js';
import { openStoreReadOnly } from '../../store/open-store-read-only.js';

/**
 * `osc export-config [--out FILE]`: connections (without secrets), mappings with every version and
 * flows as one JSON file, for change management. Exit 0 written, 2 failed.
 */
export function exportConfigCommand(
  args: { readonly dataDir: string; readonly out?: string | undefined },
  out: NodeJS.WritableStream,
): Promise<number> {
  try {
    const db = openStoreReadOnly(args.dataDir);
    let text: string;
    try {
      text = `${JSON.stringify(exportConfig(db), null, 2)}\n`;
    } finally {
      db.close();
    }
    if (args.out === undefined) out.write(text);
    else {
      writeFileSync(args.out, text, { mode: 0o600 });
      out.write(`configuration written to ${args.out}\n`);
    }
    return Promise.resolve(0);
  } catch (error) {
    out.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
}
