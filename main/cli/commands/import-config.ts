import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { configFileSchema } from '../../engine/config/config-file.js';
import { importConfig } from '../../engine/config/import-config.js';
import { openStore } from '../../store/open-store.js';

const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * `osc import-config FILE`: adds the file's connections, mappings (as drafts awaiting approval)
 * and flows; nothing existing is overwritten. Exit 0 imported, 2 refused (nothing changed).
 */
export function importConfigCommand(
  args: { readonly dataDir: string; readonly file: string },
  out: NodeJS.WritableStream,
): Promise<number> {
  let parsed;
  try {
    if (statSync(args.file).size > MAX_FILE_BYTES)
      throw new Error(`the file is larger than ${MAX_FILE_BYTES} bytes`);
    const result = configFileSchema.safeParse(JSON.parse(readFileSync(args.file, 'utf8')));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(
        `not a console configuration file: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      );
    }
    parsed = result.data;
  } catch (error) {
    out.write(`import refused: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
  try {
    const store = openStore({ dataDir: args.dataDir });
    try {
      const report = importConfig(store, parsed, `cli:${userInfo().username}`);
      for (const line of report.created) out.write(`created ${line}\n`);
      for (const line of report.skipped) out.write(`skipped ${line}\n`);
      for (const line of report.todo) out.write(`to do: ${line}\n`);
      return Promise.resolve(0);
    } finally {
      store.close();
    }
  } catch (error) {
    out.write(`import failed, nothing changed: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
}
