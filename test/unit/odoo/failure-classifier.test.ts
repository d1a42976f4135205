import { describe, expect, it } from 'vitest';
import {
  classifyHttpStatus,
  classifyNetworkError,
  classifyOdooError,
} from '../../../main/connectors/odoo/failure-classifier.js';
import { parseJsonRpcBody } from '../../../main/connectors/odoo/json-rpc-wire.js';
import { fixtureNames, fixtureText } from './fixtures.js';

/** The error taxonomy over every recorded real-Odoo error, plus HTTP statuses and network errors. */

const EXPECTED: Readonly<Record<string, { class: string; code: string }>> = {
  'apikey_web_session_auth_rejected.resp.json': { class: 'authentication', code: 'odoo.AccessDenied' },
  'apikey_wrong_key.resp.json': { class: 'authentication', code: 'odoo.AccessDenied' },
  'err_access_demo_create_user.resp.json': { class: 'permanent', code: 'odoo.AccessError' },
  'err_access_demo_imd_create.resp.json': { class: 'permanent', code: 'odoo.AccessError' },
  'err_bad_password_execute_kw.resp.json': { class: 'authentication', code: 'odoo.AccessDenied' },
  'err_bad_service.resp.json': { class: 'permanent', code: 'odoo.unknown-name' },
  'err_invalid_field_domain.resp.json': { class: 'permanent', code: 'odoo.unknown-field' },
  'err_missing_record_write.resp.json': { class: 'permanent', code: 'odoo.MissingError' },
  'err_missing_required.resp.json': { class: 'permanent', code: 'odoo.ValidationError' },
  'err_unknown_db.resp.json': { class: 'configuration', code: 'odoo.database-missing' },
  'err_unknown_method.resp.json': { class: 'permanent', code: 'odoo.unknown-method' },
  'err_unknown_model.resp.json': { class: 'permanent', code: 'odoo.unknown-model' },
  'err_usererror_unlink_admin_partner.resp.json': { class: 'permanent', code: 'odoo.UserError' },
  'err_validation_recursive_parent.resp.json': { class: 'permanent', code: 'odoo.ValidationError' },
  'err_wrong_arg_type.resp.json': { class: 'permanent', code: 'odoo.ValueError' },
  'imd_create_dup.resp.json': { class: 'permanent', code: 'odoo.ValidationError' },
  'imd_xmlid_to_res_id_private.resp.json': { class: 'permanent', code: 'odoo.AccessError' },
  'load_unknown_field.resp.json': { class: 'permanent', code: 'odoo.unknown-name' },
};

describe('classifyOdooError over the recorded errors', () => {
  const errorFixtures = fixtureNames('.resp.json').filter(
    (name) => 'error' in (JSON.parse(fixtureText(name)) as Record<string, unknown>),
  );

  it('has an expectation for every recorded error response', () => {
    expect(errorFixtures).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(errorFixtures)('%s', (name) => {
    const outcome = parseJsonRpcBody(fixtureText(name));
    if (outcome.ok) throw new Error('expected an error');
    const info = classifyOdooError(outcome.name, outcome.message);
    expect({ class: info.class, code: info.code }).toEqual(EXPECTED[name]);
    // Odoo's own message is kept for the operator, without the traceback.
    expect(info.message).toBe(outcome.message.trim());
    expect(info.message).not.toContain('Traceback');
  });

  it('treats lock and serialization failures as transient', () => {
    for (const name of [
      'psycopg2.errors.SerializationFailure',
      'psycopg2.errors.LockNotAvailable',
      'odoo.exceptions.ConcurrencyError',
    ]) {
      expect(classifyOdooError(name, 'x').class).toBe('transient');
    }
    expect(
      classifyOdooError('psycopg2.OperationalError', 'server closed the connection unexpectedly').class,
    ).toBe('transient');
  });

  it('keeps unknown exception classes permanent with their short name', () => {
    expect(classifyOdooError('odoo.addons.stock.CustomError', 'nope')).toEqual({
      class: 'permanent',
      code: 'odoo.CustomError',
      message: 'nope',
    });
  });
});

describe('classifyHttpStatus', () => {
  it.each([
    [401, 'authentication'],
    [403, 'permanent'],
    [404, 'permanent'],
    [408, 'transient'],
    [422, 'permanent'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
  ])('%i → %s', (status, klass) => {
    expect(classifyHttpStatus(status, '')).toMatchObject({
      class: klass,
      code: `http.${status}`,
      message: `HTTP ${status}`,
    });
  });
});

describe('classifyNetworkError', () => {
  const withCode = (code: string, cause = false): Error => {
    const inner = Object.assign(new Error('inner'), { code });
    return cause ? new Error('outer', { cause: inner }) : inner;
  };

  it('finds the code on the error or in its causes', () => {
    expect(classifyNetworkError(withCode('ECONNREFUSED', true))).toMatchObject({
      class: 'transient',
      code: 'net.ECONNREFUSED',
    });
    expect(classifyNetworkError(withCode('ECONNRESET'))).toMatchObject({
      class: 'transient',
      code: 'net.ECONNRESET',
    });
  });

  it('treats certificate problems as configuration', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(classifyNetworkError(withCode(code, true))).toMatchObject({
        class: 'configuration',
        code: `tls.${code}`,
      });
    }
  });

  it('separates timeouts from cancellations', () => {
    expect(classifyNetworkError(new DOMException('t', 'TimeoutError')).code).toBe('net.timeout');
    expect(classifyNetworkError(withCode('UND_ERR_HEADERS_TIMEOUT')).code).toBe('net.timeout');
    expect(classifyNetworkError(new DOMException('a', 'AbortError')).code).toBe('net.cancelled');
    expect(classifyNetworkError('weird')).toMatchObject({ class: 'transient', code: 'net.error' });
  });
});
