import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  auditContentJson,
  auditRowHash,
  type HashedAuditContent,
} from '../../../main/store/audit/audit-hash.js';
import { canonicalJson } from '../../../main/store/audit/canonical-json.js';

const row: HashedAuditContent = {
  seq: 1,
  at: '2025-01-02T03:04:05.678Z',
  actor: 'admin',
  action: 'connections.create',
  target: 'conn-1',
  outcome: 'ok',
  detail: '{"name":"Odoo"}',
};

describe('audit row hash', () => {
  it('genesis is 64 zeros', () => {
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('hashes prev_hash + the canonical JSON of the content (an independent computation agrees)', () => {
    const expected = createHash('sha256')
      .update(
        GENESIS_HASH +
          '{"action":"connections.create","actor":"admin","at":"2025-01-02T03:04:05.678Z",' +
          '"detail":"{\\"name\\":\\"Odoo\\"}","outcome":"ok","seq":1,"target":"conn-1"}',
      )
      .digest('hex');
    expect(auditRowHash(GENESIS_HASH, row)).toBe(expected);
  });

  it.each<[string, Partial<HashedAuditContent>]>([
    ['null target', { target: null }],
    ['quotes and unicode', { actor: 'o"neil ✓', detail: '{"note":"line\\nbreak"}', target: '\u2028' }],
    ['big seq', { seq: 2 ** 40 }],
  ])('the hand-written content JSON equals canonicalJson (%s)', (_label, change) => {
    const content = { ...row, ...change };
    expect(auditContentJson(content)).toBe(canonicalJson({ ...content }));
  });

  it('changes when any covered column changes', () => {
    const base = auditRowHash(GENESIS_HASH, row);
    const variants: Partial<HashedAuditContent>[] = [
      { seq: 2 },
      { at: '2025-01-02T03:04:05.679Z' },
      { actor: 'admim' },
      { action: 'connections.delete' },
      { target: null },
      { outcome: 'error' },
      { detail: '{"name":"odoo"}' },
    ];
    for (const change of variants) expect(auditRowHash(GENESIS_HASH, { ...row, ...change })).not.toBe(base);
    expect(auditRowHash('f'.repeat(64), row)).not.toBe(base);
  });

  it('rejects columns of the wrong type instead of coercing them', () => {
    const blob = { ...row, detail: Buffer.from('x') } as unknown as HashedAuditContent;
    expect(() => auditRowHash(GENESIS_HASH, blob)).toThrow(/not text/);
    expect(() => auditRowHash(GENESIS_HASH, { ...row, seq: 1.5 })).toThrow(/not an integer/);
    const numericTarget = { ...row, target: 7 } as unknown as HashedAuditContent;
    expect(() => auditRowHash(GENESIS_HASH, numericTarget)).toThrow(/target/);
  });
});
