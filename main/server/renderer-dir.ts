import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built console lives: beside the bundled main (dist/main or a chunk in dist/main/chunks →
 * dist/renderer), or, when the server runs from TypeScript sources (tests, dev), in the
 * repository's dist/renderer.
 */
export function findRendererDir(explicit?: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = explicit
    ? [explicit]
    : [resolve(here, '../renderer'), resolve(here, '../../renderer'), resolve(here, '../../dist/renderer')];
  return candidates.find((dir) => existsSync(resolve(dir, 'index.html'))) ?? null;
}
