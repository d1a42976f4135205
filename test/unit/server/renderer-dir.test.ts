import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { findRendererDir } from '../../../main/server/renderer-dir.js';

describe('finding the built console', () => {
  it('serves dist/renderer from the sources, never the source renderer/ folder', () => {
    const found = findRendererDir();
    // npm test builds first; from TypeScript sources only the repository's dist/renderer qualifies.
    expect(found).toBe(resolve(import.meta.dirname, '../../../dist/renderer'));
  });

  it('takes an explicit folder as given', () => {
    expect(findRendererDir(resolve(import.meta.dirname, '../../../dist/renderer'))).toMatch(
      /dist\/renderer$/,
    );
    expect(findRendererDir('/nonexistent/folder')).toBeNull();
  });
});
