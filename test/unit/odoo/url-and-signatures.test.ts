import { describe, expect, it } from 'vitest';
import {
  externalIdName,
  qualifyExternalId,
  splitExternalId,
} from '../../../main/connectors/odoo/external-ids.js';
import { namedArguments } from '../../../main/connectors/odoo/method-signatures.js';
import {
  afterDomain,
  decodeCursor,
  encodeCursor,
  shiftOdooDate,
} from '../../../main/connectors/odoo/read-cursor.js';
import { checkBaseUrl, isLoopbackHost } from '../../../main/connectors/odoo/url-policy.js';

describe('URL policy', () => {
  it('allows https anywhere and plain http only to loopback or with the opt-in', () => {
    expect(checkBaseUrl('https://odoo.clinic.example/odoo/', false)).toEqual({
      origin: 'https://odoo.clinic.example',
      pathPrefix: '/odoo',
      secure: true,
      loopback: false,
    });
    expect(checkBaseUrl('http://127.0.0.1:8069', false).loopback).toBe(true);
    expect(checkBaseUrl('http://[::1]:8069', false).loopback).toBe(true);
    expect(() => checkBaseUrl('http://odoo.lan:8069', false)).toThrow(
      expect.objectContaining({ code: 'url.insecure' }) as Error,
    );
    expect(checkBaseUrl('http://odoo.lan:8069', true)).toMatchObject({ secure: false, loopback: false });
  });

  it('rejects other schemes, garbage and credentials in the URL', () => {
    expect(() => checkBaseUrl('ftp://odoo', true)).toThrow(
      expect.objectContaining({ code: 'url.scheme' }) as Error,
    );
    expect(() => checkBaseUrl('not a url', true)).toThrow(
      expect.objectContaining({ code: 'url.invalid' }) as Error,
    );
    expect(() => checkBaseUrl('https://admin:pw@odoo.example', false)).toThrow(
      expect.objectContaining({ code: 'url.credentials' }) as Error,
    );
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'localhost.evil.example', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});

describe('external ids', () => {
  it('derives stable, safe names from the source system, type and id', () => {
    expect(externalIdName('fhir-ehr', 'ChargeItem', 'ci/42 x')).toBe('fhir_ehr_ChargeItem_ci_42_x');
    expect(externalIdName('', '', '')).toBe('x_x_x');
    expect(qualifyExternalId('patient_1', 'osc_sync')).toBe('osc_sync.patient_1');
    expect(qualifyExternalId('base.us', 'osc_sync')).toBe('base.us');
    expect(splitExternalId('a.b.c')).toEqual({ module: 'a', name: 'b.c' });
  });
});

describe('JSON-2 named arguments', () => {
  it('names positional execute_kw arguments by the method signature', () => {
    expect(namedArguments('load', [['id', 'name'], [['m.a', 'A']]], {})).toEqual({
      fields: ['id', 'name'],
      data: [['m.a', 'A']],
    });
    expect(namedArguments('write', [[5], { name: 'x' }], {})).toEqual({ ids: [5], vals: { name: 'x' } });
    expect(namedArguments('search_read', [[['id', '=', 1]]], { fields: ['name'], limit: 3 })).toEqual({
      domain: [['id', '=', 1]],
      fields: ['name'],
      limit: 3,
    });
    expect(namedArguments('action_post', [[7]], {})).toEqual({ ids: [7] });
    expect(() => namedArguments('unlink', [[1], 'extra'], {})).toThrow(RangeError);
  });
});

describe('read cursor', () => {
  it('round-trips and refuses foreign cursors', () => {
    const cursor = encodeCursor({ writeDate: '2026-11-23 22:40:47', id: 15 });
    expect(decodeCursor(cursor)).toEqual({ writeDate: '2026-11-23 22:40:47', id: 15 });
    expect(decodeCursor(null)).toBeNull();
    for (const bad of ['x', '{"w":"yesterday","i":1}', '{"w":"2026-11-23 22:40:47","i":-1}', '[]']) {
      expect(() => decodeCursor(bad)).toThrow(RangeError);
    }
  });

  it('shifts Odoo datetimes across day boundaries and builds the keyset domain', () => {
    expect(shiftOdooDate('2026-11-23 00:01:00', -120)).toBe('2026-11-22 23:59:00');
    expect(afterDomain({ writeDate: '2026-11-23 00:00:00', id: 9 })).toEqual([
      '|',
      ['write_date', '>', '2026-11-23 00:00:00'],
      '&',
      ['write_date', '=', '2026-11-23 00:00:00'],
      ['id', '>', 9],
    ]);
  });
});
