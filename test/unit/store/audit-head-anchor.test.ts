import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceAnchor,
  parseAnchor,
  readAnchor,
  writeAnchorAtomically,
} from '../../../main/store/audit/audit-head-anchor.js';

const HASH = 'ab'.repeat(32);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'osc-anchor-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('parseAnchor', () => {
  it('accepts {seq, hash}', () => {
    expect(parseAnchor(`{"seq":12,"hash":"${HASH}"}`)).toEqual({
      state: 'present',
      head: { seq: 12, hash: HASH },
    });
  });

  it.each([
    ['', /not valid JSON/],
    ['null', /not an object/],
    ['[]', /seq/],
    [`{"seq":-1,"hash":"${HASH}"}`, /seq/],
    [`{"seq":1.5,"hash":"${HASH}"}`, /seq/],
    [`{"seq":"1","hash":"${HASH}"}`, /seq/],
    ['{"seq":1,"hash":"xyz"}', /hash/],
    [`{"seq":1,"hash":"${HASH.toUpperCase()}"}`, /hash/],
  ])('reports %j as unreadable', (text, reason) => {
    const reading = parseAnchor(text);
    expect(reading.state).toBe('unreadable');
    if (reading.state === 'unreadable') expect(reading.reason).toMatch(reason);
  });
});

describe('readAnchor', () => {
  it('tells a missing file from an unreadable one', () => {
    expect(readAnchor(join(dir, 'nope.json'))).toEqual({ state: 'missing' });
    mkdirSync(join(dir, 'a-folder'));
    expect(readAnchor(join(dir, 'a-folder')).state).toBe('unreadable');
  });

  it('does not read a huge file', () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, `{"seq":1,"hash":"${HASH}","pad":"${'x'.repeat(100_000)}"}`);
    expect(readAnchor(path)).toEqual({ state: 'unreadable', reason: 'file is too large' });
  });
});

describe('writeAnchorAtomically', () => {
  it('writes the head as JSON, private, leaving no temp file', () => {
    const path = join(dir, 'audit-head.json');
    writeAnchorAtomically(path, { seq: 3, hash: HASH });
    writeAnchorAtomically(path, { seq: 4, hash: HASH });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ seq: 4, hash: HASH });
    expect(readdirSync(dir)).toEqual(['audit-head.json']);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('throws when the folder is gone, and leaves nothing behind', () => {
    expect(() =>
      writeAnchorAtomically(join(dir, 'missing', 'audit-head.json'), { seq: 1, hash: HASH }),
    ).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the old anchor when the rename cannot happen', () => {
    const path = join(dir, 'audit-head.json');
    mkdirSync(path); // a folder in the way: rename of a file over it fails
    writeFileSync(join(path, 'keep'), 'x');
    expect(() => writeAnchorAtomically(path, { seq: 1, hash: HASH })).toThrow();
    expect(readdirSync(dir)).toEqual(['audit-head.json']);
  });
});

describe('advanceAnchor', () => {
  it('only ever moves the anchor forward', () => {
    const path = join(dir, 'audit-head.json');
    advanceAnchor(path, { seq: 5, hash: HASH });
    advanceAnchor(path, { seq: 3, hash: 'cd'.repeat(32) });
    expect(readAnchor(path)).toEqual({ state: 'present', head: { seq: 5, hash: HASH } });
    advanceAnchor(path, { seq: 6, hash: 'cd'.repeat(32) });
    expect(readAnchor(path)).toEqual({ state: 'present', head: { seq: 6, hash: 'cd'.repeat(32) } });
  });

  it('replaces an unreadable anchor', () => {
    const path = join(dir, 'audit-head.json');
    writeFileSync(path, 'garbage');
    advanceAnchor(path, { seq: 1, hash: HASH });
    expect(readAnchor(path)).toEqual({ state: 'present', head: { seq: 1, hash: HASH } });
  });
});
