import { describeCredentials, type CredentialStatus } from '../../shared/domain/connection-credentials.js';

const TONE_CLASS = { ok: 'badge', warning: 'badge badge-warning', error: 'badge badge-failed' } as const;

/** "API key expires in 3 days" / "refused" next to a connection, with what to do in the tooltip. */
export function CredentialBadge({ status, now }: { status: CredentialStatus; now?: Date }) {
  const notice = describeCredentials(status, now ?? new Date());
  if (notice === null) return null;
  const label = notice.text === 'refused' ? 'access refused' : `API key ${notice.text}`;
  return (
    <span className={TONE_CLASS[notice.tone]} title={notice.detail} data-credentials={notice.tone}>
      {label}
    </span>
  );
}
