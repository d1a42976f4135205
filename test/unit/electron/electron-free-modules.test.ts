import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The shell's logic must be testable in plain Node, where `require('electron')` throws: only the two
// wiring entries may import electron. This also keeps the tests here from loading it by accident.
const ELECTRON_DIR = path.resolve(import.meta.dirname, '../../../main/electron');
// The core process also runs as a Node worker thread in tests: it must never need electron either.
const CORE_PROCESS_DIR = path.resolve(import.meta.dirname, '../../../main/core-process');
const WIRING = new Set(['electron-main.ts', 'preload.ts']);
const IMPORTS_ELECTRON = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron(?:\/[^'"]*)?['"]/;

describe('main/electron', () => {
  const modules = readdirSync(ELECTRON_DIR).filter((file) => file.endsWith('.ts'));

  it('has the pure modules this check is about', () => {
    expect(modules.length).toBeGreaterThan(WIRING.size);
  });

  it.each(modules.filter((file) => !WIRING.has(file)))('%s does not import electron', (file) => {
    expect(readFileSync(path.join(ELECTRON_DIR, file), 'utf8')).not.toMatch(IMPORTS_ELECTRON);
  });

  it.each(readdirSync(CORE_PROCESS_DIR).filter((file) => file.endsWith('.ts')))(
    'core-process/%s does not import electron',
    (file) => {
      expect(readFileSync(path.join(CORE_PROCESS_DIR, file), 'utf8')).not.toMatch(IMPORTS_ELECTRON);
    },
  );

  it('the wiring entries do import electron (so the check above is looking for the right thing)', () => {
    for (const file of WIRING)
      expect(readFileSync(path.join(ELECTRON_DIR, file), 'utf8')).toMatch(IMPORTS_ELECTRON);
  });
});
