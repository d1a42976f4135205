import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { Connection } from '../../../shared/domain/connection.js';
import { ClientContext } from '../../../renderer/app/client-context.js';
import { ConnectionsTable } from '../../../renderer/pages/connections/ConnectionsTable.js';
import { SettingsFields } from '../../../renderer/pages/connections/SettingsFields.js';
import { settingsFields } from '../../../renderer/pages/connections/settings-fields.js';
import { initialValues } from '../../../renderer/pages/connections/settings-form-values.js';
import { LockPage } from '../../../renderer/pages/lock/LockPage.js';
import { SetupPage } from '../../../renderer/pages/setup/SetupPage.js';
import { SignInPage } from '../../../renderer/pages/sign-in/SignInPage.js';
import { verificationText } from '../../../renderer/pages/audit/VerifyChain.js';
import { fakeOperations } from './fake-operations.js';
import { UNKNOWN_CREDENTIALS } from '../../../shared/domain/connection-credentials.js';

// Server-rendered markup is enough to prove the accessible names the end-to-end test relies on
// (labels tied to inputs, button texts); behaviour is covered by the store and client tests.
function render(node: ReactNode): string {
  const client: OscBridge = { operations: fakeOperations({}).ops, onEvent: () => () => undefined };
  return renderToStaticMarkup(<ClientContext.Provider value={client}>{node}</ClientContext.Provider>);
}

function labelTexts(html: string): string[] {
  return [...html.matchAll(/<label[^>]*>(.*?)<\/label>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, ''));
}

function buttonTexts(html: string): string[] {
  return [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((match) =>
    match[1]!.replace(/<[^>]+>/g, ''),
  );
}

const noop = () => undefined;
const everything = { edit: true, setSecret: true, delete: true, test: true };

const operator = {
  username: 'ada',
  displayName: 'Ada Lovelace',
  roles: ['it-staff' as const],
  disabled: false,
  createdAt: '2025-01-01T00:00:00Z',
  lastLoginAt: null,
};

describe('page markup', () => {
  it('first-run setup has the four labelled inputs and its button', () => {
    const html = render(<SetupPage />);
    expect(labelTexts(html)).toEqual(['Username', 'Display name', 'Password', 'Confirm password']);
    expect(buttonTexts(html)).toEqual(['Create administrator']);
    expect(html.match(/type="password"/g)).toHaveLength(2);
  });

  it('sign-in has Username, Password and Sign in', () => {
    const html = render(<SignInPage notice={null} />);
    expect(labelTexts(html)).toEqual(['Username', 'Password']);
    expect(buttonTexts(html)).toEqual(['Sign in']);
  });

  it('the lock screen names who is locked and offers Unlock and Sign out', () => {
    const html = render(
      <LockPage operator={operator} notice="The session locked after a period of inactivity." />,
    );
    expect(html).toContain('inactivity');
    expect(html).toContain('Ada Lovelace (ada)');
    expect(labelTexts(html)).toEqual(['Password']);
    expect(buttonTexts(html)).toEqual(['Unlock', 'Sign out']);
  });

  it('the connections table lists a connection with per-row actions named after it', () => {
    const connection: Connection = {
      id: 'conn_aaaaaaaaaa',
      name: 'Clinic Odoo',
      kind: 'webhook-out',
      settings: {
        kind: 'webhook-out',
        url: 'https://portal.example/hook',
        allowInsecureHttp: false,
        maxAttempts: 8,
        timeoutMs: 10000,
      },
      secret: { isSet: false, changedAt: null },
      credentials: UNKNOWN_CREDENTIALS,
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      createdBy: 'ada',
    };
    const html = render(
      <ConnectionsTable
        connections={[connection]}
        allowed={everything}
        onEdit={noop}
        onSetSecret={noop}
        onDelete={noop}
        onTest={noop}
      />,
    );
    for (const header of ['Name', 'Kind', 'Target', 'Secret', 'Updated'])
      expect(html).toContain(`>${header}</th>`);
    expect(html).toContain('Outbound webhook');
    expect(html).toContain('https://portal.example/hook');
    expect(html).toContain('Not set');
    expect(html).toContain('aria-label="Set secret for Clinic Odoo"');
    expect(html).toContain('aria-label="Delete Clinic Odoo"');
    expect(html).toContain('aria-label="Test Clinic Odoo"');
  });

  it('shows only the allowed actions, and no secret action for a CSV folder', () => {
    const connection = {
      id: 'conn_aaaaaaaaaa',
      name: 'Lab',
      kind: 'csv-drop' as const,
      settings: {
        kind: 'csv-drop' as const,
        folder: '/in',
        archiveFolder: '/a',
        rejectedFolder: '/r',
        encoding: 'utf8' as const,
        delimiter: ',',
        hasHeader: true,
      },
      secret: { isSet: false, changedAt: null },
      credentials: UNKNOWN_CREDENTIALS,
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      createdBy: 'ada',
    };
    const none = { edit: false, setSecret: false, delete: false, test: false };
    expect(
      buttonTexts(
        render(
          <ConnectionsTable
            connections={[connection]}
            allowed={none}
            onEdit={noop}
            onSetSecret={noop}
            onDelete={noop}
            onTest={noop}
          />,
        ),
      ),
    ).toEqual([]);
    const html = render(
      <ConnectionsTable
        connections={[connection]}
        allowed={everything}
        onEdit={noop}
        onSetSecret={noop}
        onDelete={noop}
        onTest={noop}
      />,
    );
    expect(buttonTexts(html)).toEqual(['Test', 'Edit', 'Delete']);
  });
});

describe('settings inputs markup', () => {
  it('labels every Odoo input and warns while plain HTTP is allowed', () => {
    const values = { ...initialValues('odoo'), allowInsecureHttp: true };
    const html = render(
      <SettingsFields
        kind="odoo"
        values={values}
        errors={{ 'settings.baseUrl': 'Enter a full URL' }}
        onChange={noop}
      />,
    );
    expect(labelTexts(html)).toEqual(settingsFields('odoo').map((field) => field.label));
    expect(html).toContain('Enter a full URL');
    expect(html).toContain('travel unencrypted');
    expect(html).toContain('<option value="api-key" selected="">API key</option>');
  });

  it('shows no warning while plain HTTP is off', () => {
    const html = render(
      <SettingsFields kind="odoo" values={initialValues('odoo')} errors={{}} onChange={noop} />,
    );
    expect(html).not.toContain('travel unencrypted');
  });
});

describe('verify chain text', () => {
  it('says how many rows verified, or where the chain breaks', () => {
    expect(verificationText({ ok: true, rows: 42, headSeq: 42, headHash: 'ab' })).toBe(
      'Chain verified: 42 rows',
    );
    expect(verificationText({ ok: false, rows: 42, brokenSeq: 17, reason: 'hash mismatch' })).toBe(
      'Chain broken at row #17: hash mismatch',
    );
  });
});
