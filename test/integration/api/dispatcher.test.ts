import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { ADMIN_PASSWORD, TestCaller } from '../../support/test-caller.js';

const odoo = {
  kind: 'odoo',
  baseUrl: 'https://odoo.clinic.example',
  database: 'clinic',
  login: 'sync',
} as const;

describe('dispatcher: validation, sessions and audit', () => {
  let harness: TestCore | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('rejects malformed input with a field-level message and audits the failure', async () => {
    harness = await startTestCore();
    const cases: unknown[] = [
      { name: 'x', settings: { ...odoo, baseUrl: 'ftp://nope' } },
      { name: 'x', settings: { ...odoo, kind: 'telnet' } },
      { name: 42, settings: odoo },
      { name: 'x', settings: odoo, extra: true },
      'a string',
      [1, 2, 3],
    ];
    for (const input of cases) {
      const result = await harness.admin.call('connections.create', input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-input');
        expect(result.error.message.length).toBeGreaterThan(3);
        expect(result.error.message).not.toMatch(/at .*\.ts|ZodError|\n/);
      }
    }
    const url = await harness.admin.call('connections.create', {
      name: 'x',
      settings: { ...odoo, baseUrl: 'ftp://nope' },
    });
    expect(!url.ok && url.error.message).toMatch(/^settings\.baseUrl: Enter a full http\(s\) URL/);
    const page = await harness.admin.value('audit.list', { limit: 20, action: 'connections.create' });
    expect(page.entries.filter((e) => e.outcome === 'error')).toHaveLength(cases.length + 1);
    expect(await harness.admin.value('connections.list', {})).toEqual([]);
  });

  it('creates, updates and deletes connections with conflicts and kind changes refused', async () => {
    harness = await startTestCore();
    const created = await harness.admin.value('connections.create', { name: 'Clinic Odoo', settings: odoo });
    expect(created).toMatchObject({
      name: 'Clinic Odoo',
      kind: 'odoo',
      secret: { isSet: false, changedAt: null },
    });
    expect(created.settings).toMatchObject({
      protocol: 'auto',
      externalIdModule: 'osc_sync',
      allowInsecureHttp: false,
    });
    const dup = await harness.admin.call('connections.create', { name: 'clinic odoo', settings: odoo });
    expect(!dup.ok && dup.error.code).toBe('conflict');
    const kindChange = await harness.admin.call('connections.update', {
      id: created.id,
      name: 'Clinic Odoo',
      settings: { kind: 'fhir', baseUrl: 'https://ehr.example/fhir' },
    });
    expect(!kindChange.ok && kindChange.error.code).toBe('invalid-input');
    const updated = await harness.admin.value('connections.update', {
      id: created.id,
      name: 'Main Odoo',
      settings: { ...odoo, database: 'clinic2' },
    });
    expect(updated.settings).toMatchObject({ database: 'clinic2' });
    await harness.admin.value('connections.delete', { id: created.id });
    const gone = await harness.admin.call('connections.get', { id: created.id });
    expect(!gone.ok && gone.error.code).toBe('not-found');
  });

  it('keeps a secret in the keychain only: never in SQLite, the audit log or a response', async () => {
    harness = await startTestCore();
    const secret = `UNIQUE-SECRET-${Date.now()}-zq`;
    const created = await harness.admin.value('connections.create', { name: 'Clinic Odoo', settings: odoo });
    const afterSet = await harness.admin.call('connections.setSecret', { id: created.id, secret });
    expect(afterSet.ok && afterSet.value.secret.isSet).toBe(true);
    const rotated = await harness.admin.call('connections.setSecret', {
      id: created.id,
      secret: `${secret}-2`,
    });
    const everything = JSON.stringify([
      afterSet,
      rotated,
      await harness.admin.call('connections.list', {}),
      await harness.admin.call('audit.list', { limit: 500 }),
    ]);
    expect(everything).not.toContain(secret);
    for (const file of ['osc.sqlite', 'osc.sqlite-wal']) {
      const path = join(harness.dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(secret), file).toBe(false);
    }
    const page = await harness.admin.value('audit.list', { limit: 5, action: 'connections.setSecret' });
    expect(
      page.entries.map((e) => JSON.parse(e.detail) as { rotated: boolean }).map((d) => d.rotated),
    ).toEqual([true, false]);
    const cleared = await harness.admin.value('connections.clearSecret', { id: created.id });
    expect(cleared.secret).toEqual({ isSet: false, changedAt: null });
  });

  it('locks an idle session, refuses work until the right password, then goes on', async () => {
    harness = await startTestCore({ idleLockMinutes: 0.002 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const locked = await harness.admin.call('connections.list', {});
    expect(!locked.ok && locked.error.code).toBe('session-locked');
    expect((await harness.admin.value('session.status', {})).state).toBe('locked');
    const wrong = await harness.admin.call('session.unlock', { password: 'not the password' });
    expect(!wrong.ok && wrong.error.code).toBe('unauthenticated');
    expect((await harness.admin.value('session.unlock', { password: ADMIN_PASSWORD })).state).toBe('active');
    expect((await harness.admin.call('connections.list', {})).ok).toBe(true);
  });

  it('throttles password guessing and ends sessions of disabled operators', async () => {
    harness = await startTestCore();
    const viewer = await harness.operator('vera', ['viewer']);
    const guesser = new TestCaller(harness.core, 'test:guesser');
    const codes: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const result = await guesser.call('session.login', { username: 'vera', password: `guess ${i}` });
      codes.push(result.ok ? 'ok' : result.error.code);
    }
    expect(codes).toEqual([...Array<string>(5).fill('unauthenticated'), 'rate-limited', 'rate-limited']);
    const unknown = await guesser.call('session.login', { username: 'nobody', password: 'x' });
    expect(!unknown.ok && unknown.error.message).toBe('Wrong username or password.');

    await harness.admin.value('operators.update', { username: 'vera', disabled: true });
    const afterDisable = await viewer.call('connections.list', {});
    expect(!afterDisable.ok && afterDisable.error.code).toBe('unauthenticated');
    const lastAdmin = await harness.admin.call('operators.update', { username: 'admin', roles: ['viewer'] });
    expect(!lastAdmin.ok && lastAdmin.error.code).toBe('conflict');
  });

  it('allows first-run setup once only, and records who did what', async () => {
    harness = await startTestCore();
    const again = await new TestCaller(harness.core).call('session.setupFirstAdmin', {
      username: 'mallory',
      displayName: 'M',
      password: 'a long enough password',
    });
    expect(!again.ok && again.error.code).toBe('conflict');
    const entries = (await harness.admin.value('audit.list', { limit: 50 })).entries;
    const setup = entries.find((e) => e.action === 'session.setupFirstAdmin' && e.outcome === 'ok');
    expect(setup).toMatchObject({ actor: 'admin', target: 'admin' });
    expect(setup?.detail).not.toContain(ADMIN_PASSWORD);
    const refused = entries.find((e) => e.action === 'session.setupFirstAdmin' && e.outcome === 'error');
    expect(refused).toMatchObject({ actor: 'anonymous' });
    expect(JSON.stringify(entries)).not.toContain('a long enough password');
  });
});
