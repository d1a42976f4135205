import { describe, expect, it } from 'vitest';
import {
  describeCredentials,
  UNKNOWN_CREDENTIALS,
  type CredentialStatus,
} from '../../../shared/domain/connection-credentials.js';
import { credentialRows } from '../../../renderer/pages/overview/overview-model.js';
import type { Connection } from '../../../shared/domain/connection.js';

const now = new Date('2026-12-01T12:00:00.000Z');
const status = (patch: Partial<CredentialStatus>): CredentialStatus => ({ ...UNKNOWN_CREDENTIALS, ...patch });

describe('what the console says about a connection key', () => {
  it('says nothing when nothing is known', () => {
    expect(describeCredentials(UNKNOWN_CREDENTIALS, now)).toBeNull();
  });

  it('counts whole days, then hours, then minutes left, and warns inside 14 days', () => {
    const at = (iso: string) => describeCredentials(status({ keyExpiresAt: iso, keyName: 'k' }), now);
    expect(at('2027-01-30T12:00:00.000Z')).toMatchObject({ tone: 'ok', text: 'expires in 60 days' });
    expect(at('2026-12-15T12:00:00.000Z')).toMatchObject({ tone: 'ok', text: 'expires in 14 days' });
    expect(at('2026-12-15T11:59:00.000Z')).toMatchObject({ tone: 'warning', text: 'expires in 13 days' });
    expect(at('2026-12-02T11:00:00.000Z')).toMatchObject({ tone: 'warning', text: 'expires in 23 hours' });
    expect(at('2026-12-01T13:00:00.000Z')).toMatchObject({ tone: 'warning', text: 'expires in 1 hour' });
    expect(at('2026-12-01T12:05:00.000Z')).toMatchObject({ tone: 'warning', text: 'expires in 5 minutes' });
    expect(at('2026-12-01T12:00:00.000Z')).toMatchObject({ tone: 'error', text: 'expired' });
    expect(at('2026-12-02T11:00:00.000Z')?.detail).toBe(
      "The API key 'k' expires in 23 hours (2026-12-02): create a new one in Odoo and save it here before then.",
    );
    expect(at('never')).toMatchObject({ tone: 'ok', text: 'never expires' });
  });

  it('puts a refusal above any expiry, saying what waits and what to do', () => {
    const refused = status({
      keyExpiresAt: '2027-01-30T12:00:00.000Z',
      refused: { at: now.toISOString(), code: 'odoo.api-key-rejected', message: 'Odoo refused the key.' },
    });
    expect(describeCredentials(refused, now)).toEqual({
      tone: 'error',
      text: 'refused',
      detail:
        'Odoo refused the key. Scheduled runs of the flows that use this connection wait until the secret is replaced or Test connection passes.',
    });
  });

  it('lists the most urgent connections first on the overview', () => {
    const connection = (name: string, credentials: CredentialStatus) =>
      ({ id: `conn_${name}`, name, credentials }) as unknown as Connection;
    const rows = credentialRows(
      [
        connection('B ok', status({ keyExpiresAt: '2027-06-01T00:00:00.000Z' })),
        connection('A soon', status({ keyExpiresAt: '2026-12-03T00:00:00.000Z' })),
        connection('C unknown', UNKNOWN_CREDENTIALS),
        connection('D refused', status({ refused: { at: '', code: 'x', message: 'no' } })),
      ],
      now,
    );
    expect(rows.map((row) => [row.connection.name, row.notice.tone])).toEqual([
      ['D refused', 'error'],
      ['A soon', 'warning'],
      ['B ok', 'ok'],
    ]);
  });
});
