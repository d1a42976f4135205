import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built console lives: `dist/renderer`, found from the bundled main (dist/main, or a chunk
 * in dist/main/chunks) or, when the server runs from TypeScript sources (tests, dev, the demo), from
 * main/server. Only a folder inside `dist/` counts: the source folder renderer/ also holds an
 * index.html, but one that loads main.tsx, which no browser can run.
 */
export function findRendererDir(explicit?: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = explicit
    ? [explicit]
    : [
        resolve(here, '../renderer'),
        resolve(here, '../../renderer'),
        resolve(here, '../../dist/renderer'),
      ].filter((dir) => basename(dirname(dir)) === 'dist');
  return candidates.find((dir) => existsSync(resolve(dir, 'index.html'))) ?? null;
}
