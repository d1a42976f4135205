import { describe, expect, it } from 'vitest';
import { CONNECTION_KINDS, type Connection } from '../../../shared/domain/connection.js';
import { secretStatusText } from '../../../renderer/pages/connections/connection-columns.js';
import { connectionTarget, usesPlainHttp } from '../../../renderer/pages/connections/connection-target.js';
import { settingsFields } from '../../../renderer/pages/connections/settings-fields.js';
import {
  initialValues,
  readConnectionForm,
} from '../../../renderer/pages/connections/settings-form-values.js';
import { UNKNOWN_CREDENTIALS } from '../../../shared/domain/connection-credentials.js';

describe('settings fields generated from the schemas', () => {
  it('gives every field of every kind an input and a label', () => {
    for (const kind of CONNECTION_KINDS) {
      const fields = settingsFields(kind);
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields) expect(field.label.length).toBeGreaterThan(0);
    }
  });

  it('offers the Odoo inputs the console promises, with the right types', () => {
    const fields = settingsFields('odoo');
    expect(fields.map((field) => field.label)).toEqual([
      'Base URL',
      'Database',
      'Login',
      'Authentication',
      'Protocol',
      'External ID module',
      'Allow plain HTTP',
      'Max concurrent calls',
      'Max calls per second',
      'Timeout (ms)',
      'Failures before flows wait',
    ]);
    const byKey = Object.fromEntries(fields.map((field) => [field.key, field]));
    // Optional: left empty, the engine's default breaker threshold applies (issue 11).
    expect(byKey.breakerThreshold).toMatchObject({ type: 'number', required: false, min: 1, max: 100 });
    expect(byKey.authMethod).toMatchObject({ type: 'choice', defaultValue: 'api-key' });
    expect(byKey.allowInsecureHttp).toMatchObject({ type: 'checkbox', defaultValue: false });
    expect(byKey.maxConcurrentCalls).toMatchObject({ type: 'number', min: 1, max: 16, integer: true });
    expect(byKey.maxCallsPerSecond).toMatchObject({ type: 'number', integer: false });
    expect(byKey.baseUrl).toMatchObject({ type: 'text', required: true });
  });
});

describe('reading the connection form', () => {
  const odooValues = {
    ...initialValues('odoo'),
    baseUrl: 'https://odoo.clinic.example',
    database: 'clinic',
    login: 'sync',
  };

  it('starts from the schema defaults', () => {
    expect(initialValues('odoo')).toMatchObject({
      protocol: 'auto',
      timeoutMs: '30000',
      allowInsecureHttp: false,
      baseUrl: '',
    });
  });

  it('starts from the connection when editing', () => {
    const values = initialValues('csv-drop', {
      kind: 'csv-drop',
      folder: '/in',
      archiveFolder: '/done',
      rejectedFolder: '/bad',
      encoding: 'latin1',
      delimiter: ';',
      hasHeader: false,
    });
    expect(values).toMatchObject({ folder: '/in', encoding: 'latin1', hasHeader: false });
  });

  it('produces the contract input for a valid form', () => {
    const draft = readConnectionForm('odoo', ' Clinic Odoo ', { ...odooValues, maxCallsPerSecond: '2.5' });
    expect(draft).toMatchObject({
      ok: true,
      name: 'Clinic Odoo',
      settings: {
        kind: 'odoo',
        baseUrl: 'https://odoo.clinic.example',
        maxCallsPerSecond: 2.5,
        maxConcurrentCalls: 2,
      },
    });
  });

  it('names each mistake under its field, all at once', () => {
    const draft = readConnectionForm('odoo', '', {
      ...odooValues,
      baseUrl: 'odoo.clinic',
      maxConcurrentCalls: '99',
      timeoutMs: 'soon',
      externalIdModule: 'Bad Module',
    });
    expect(draft.ok).toBe(false);
    if (!draft.ok) {
      expect(Object.keys(draft.errors.fields).sort()).toEqual([
        'name',
        'settings.baseUrl',
        'settings.externalIdModule',
        'settings.maxConcurrentCalls',
        'settings.timeoutMs',
      ]);
      expect(draft.errors.fields['settings.maxConcurrentCalls']).toBe('Enter a whole number from 1 to 16');
    }
  });

  it('uses the default when a number is left empty', () => {
    const draft = readConnectionForm('odoo', 'x', { ...odooValues, timeoutMs: '  ' });
    expect(draft.ok && draft.settings.kind === 'odoo' && draft.settings.timeoutMs).toBe(30000);
  });
});

describe('connection list texts', () => {
  const odooSettings: Extract<Connection['settings'], { kind: 'odoo' }> = {
    kind: 'odoo',
    baseUrl: 'http://odoo.lan',
    database: 'clinic',
    login: 'sync',
    authMethod: 'api-key',
    protocol: 'auto',
    externalIdModule: 'osc_sync',
    allowInsecureHttp: true,
    maxConcurrentCalls: 2,
    maxCallsPerSecond: 10,
    timeoutMs: 30000,
  };
  const base: Connection = {
    id: 'conn_aaaaaaaaaa',
    name: 'Clinic Odoo',
    kind: 'odoo',
    settings: odooSettings,
    secret: { isSet: false, changedAt: null },
    credentials: UNKNOWN_CREDENTIALS,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    createdBy: 'ada',
  };

  it('says whether a secret is set and when it changed, never more', () => {
    expect(secretStatusText(base)).toBe('Not set');
    const set = { ...base, secret: { isSet: true, changedAt: '2025-01-01T10:00:00Z' } };
    expect(secretStatusText(set, new Date('2025-01-01T10:05:00Z'))).toBe('Set · changed 5 minutes ago');
  });

  it('shows where a connection points and flags plain HTTP', () => {
    expect(connectionTarget(base.settings)).toBe('http://odoo.lan · clinic');
    expect(usesPlainHttp(base.settings)).toBe(true);
    expect(usesPlainHttp({ ...odooSettings, allowInsecureHttp: false })).toBe(false);
    expect(usesPlainHttp({ ...odooSettings, baseUrl: 'https://odoo.lan' })).toBe(false);
  });
});

describe("a webhook-in connection's listen address in the form", () => {
  it('offers optional host and port inputs whose placeholder names the default', () => {
    const fields = settingsFields('webhook-in');
    const host = fields.find((field) => field.key === 'listenHost');
    const port = fields.find((field) => field.key === 'listenPort');
    expect(host).toMatchObject({ type: 'text', required: false, defaultValue: undefined });
    expect(host?.placeholder).toMatch(/127\.0\.0\.1/);
    expect(port).toMatchObject({ type: 'number', required: false, min: 1, max: 65_535, integer: true });
    expect(port?.placeholder).toMatch(/4781/);
    expect(initialValues('webhook-in')).toMatchObject({ listenHost: '', listenPort: '' });
  });

  it('leaves an empty host and port out (the default listener), and keeps them when given', () => {
    const values = { ...initialValues('webhook-in'), sourceName: 'lab-results' };
    const empty = readConnectionForm('webhook-in', 'Lab', values);
    expect(empty.ok && empty.settings).not.toHaveProperty('listenHost');
    expect(empty.ok && empty.settings.kind === 'webhook-in' && empty.settings.listenPort).toBeUndefined();
    const own = readConnectionForm('webhook-in', 'Lab', {
      ...values,
      listenHost: ' 127.0.0.2 ',
      listenPort: '4790',
    });
    expect(own.ok && own.settings).toMatchObject({ listenHost: '127.0.0.2', listenPort: 4790 });
    const bad = readConnectionForm('webhook-in', 'Lab', {
      ...values,
      listenHost: 'http://x',
      listenPort: '70000',
    });
    expect(bad.ok ? {} : bad.errors.fields).toMatchObject({
      'settings.listenHost': expect.stringMatching(/IP address or host name/) as unknown,
      'settings.listenPort': 'Enter a whole number from 1 to 65535',
    });
  });
});
