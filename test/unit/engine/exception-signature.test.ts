import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorField, errorSignature, valuePattern } from '../../../shared/domain/exception-signature.js';
import { exceptionClassOf } from '../../../main/engine/store/exception-class.js';

/** A value of a given shape: each 9 a random digit, each a a random letter run, the rest kept. */
const shaped = (shape: string) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: shape.length, maxLength: shape.length }),
      fc.array(fc.stringMatching(/^[A-Za-z]{1,6}$/), { minLength: shape.length, maxLength: shape.length }),
    )
    .map(([digits, words]) =>
      Array.from(shape, (c, i) => (c === '9' ? String(digits[i]) : c === 'a' ? words[i] : c)).join(''),
    );

/** Shapes of values as the seeded failures show them: supply codes, names, prices, dates. */
const shapes = fc.constantFrom('a-9999', 'a a', '999.99', '9999-99-99', 'a_99', '99');

const TEMPLATES: ReadonlyArray<(value: string) => string> = [
  (v) => `Value map "supplies" has no entry for code "${v}".`,
  (v) => `partner_id: No matching record found for name '${v}' in field 'Patient'`,
  (v) => `Price ${v} is outside the policy`,
];

describe('errorSignature', () => {
  it('names code, field and the value pattern of the known failure texts', () => {
    expect(
      errorSignature('mapping.unmapped-code', 'Value map "supplies" has no entry for code "SUP-1042".'),
    ).toEqual({
      signature: 'mapping.unmapped-code|supplies|a-9999',
      code: 'mapping.unmapped-code',
      field: 'supplies',
      pattern: 'a-9999',
    });
    expect(
      errorSignature(
        'odoo.unknown-reference',
        "partner_id: No matching record found for name 'Jane Doe' in field 'Patient'",
      ).signature,
    ).toBe('odoo.unknown-reference|Patient|a a');
    expect(errorSignature('rule.price', 'Price 120.50 is outside the policy').signature).toBe(
      'rule.price||999.99',
    );
    // An apostrophe is not a quote.
    expect(errorSignature('odoo.load-row', "name: can't be empty").signature).toBe('odoo.load-row|name|');
    expect(errorField('qty: must be positive')).toBe('qty');
  });

  it('property: same cause, same signature — values of one shape group together', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATES),
        shapes.chain((shape) => fc.tuple(shaped(shape), shaped(shape))),
        (template, [a, b]) => {
          expect(errorSignature('c.x', template(a)).signature).toBe(
            errorSignature('c.x', template(b)).signature,
          );
        },
      ),
    );
  });

  it('property: a differently shaped value, another field or another code makes another group', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATES),
        shaped('a-999'),
        fc.integer({ min: 0, max: 9 }),
        (template, v, d) => {
          const base = errorSignature('c.x', template(v)).signature;
          expect(errorSignature('c.x', template(`${v}${d}`)).signature).not.toBe(base);
          expect(errorSignature('c.y', template(v)).signature).not.toBe(base);
        },
      ),
    );
    expect(errorSignature('c', 'field \'a\' is "X1"').signature).not.toBe(
      errorSignature('c', 'field \'b\' is "X1"').signature,
    );
  });

  it('property: any text gives a bounded signature whose pattern holds no digit but 9 and no letter but a', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        (code, message) => {
          const first = errorSignature(code, message);
          expect(errorSignature(code, message)).toEqual(first);
          expect(first.signature.startsWith(`${first.code}|${first.field}|`)).toBe(true);
          expect(first.code).not.toContain('|');
          expect(first.field).not.toContain('|');
          expect(first.pattern).not.toMatch(/[0-8]|[^\P{L}a]|\p{Nd}(?<!9)/u);
          expect(first.signature.length).toBeLessThanOrEqual(128 + 64 + 64 + 2);
        },
      ),
    );
  });

  it('property: the pattern of a pattern is itself (normalising twice changes nothing)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (value) => {
        expect(valuePattern(valuePattern(value))).toBe(valuePattern(value));
      }),
    );
  });
});

describe('exceptionClassOf', () => {
  it('maps connector classes and codes to the fix a person needs', () => {
    expect(exceptionClassOf('transient', 'net.timeout')).toBe('transient');
    expect(exceptionClassOf('authentication', 'odoo.AccessError')).toBe('authorization');
    expect(exceptionClassOf('configuration', 'tls.CERT_HAS_EXPIRED')).toBe('configuration');
    expect(exceptionClassOf('conflict', 'odoo.posted')).toBe('conflict');
    expect(exceptionClassOf('permanent', 'mapping.unmapped-code')).toBe('reference');
    expect(exceptionClassOf('permanent', 'odoo.unknown-reference')).toBe('reference');
    expect(exceptionClassOf('permanent', 'odoo.unknown-field')).toBe('configuration');
    expect(exceptionClassOf('permanent', 'rule.price-policy')).toBe('data');
  });
});
