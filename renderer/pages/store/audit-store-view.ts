import type { AuditCheckpointView } from '../../../shared/contract/ops/checkpoint-ops.js';
import {
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  type RetentionPass,
} from '../../../shared/contract/ops/retention-ops.js';
import {
  MIN_WITNESS_SECRET_LENGTH,
  type WitnessDeliveryView,
} from '../../../shared/contract/ops/witness-types.js';

/**
 * The words and files of the Audit store page, kept apart from the components so they can be tested
 * without a browser. Nothing here holds a secret: the witness secret only passes from the form to the
 * call and the page never reads one back.
 */

/** The format main/store/audit/checkpoints/checkpoint-file.ts reads (tiles are optional there). */
export const CHECKPOINT_FILE_FORMAT = 'osc-audit-checkpoint/1';

/** What `osc verify-audit --checkpoint FILE --public-key FILE` takes, as the console exports it. */
export function checkpointFile(checkpoint: AuditCheckpointView, publicKeyPem: string | null) {
  return {
    format: CHECKPOINT_FILE_FORMAT,
    checkpoint: checkpoint.checkpoint,
    signature: checkpoint.signature,
    keyId: checkpoint.keyId,
    ...(publicKeyPem === null ? {} : { publicKey: publicKeyPem }),
  };
}

export function checkpointFileName(checkpoint: AuditCheckpointView): string {
  return `audit-checkpoint-${checkpoint.id}-row-${checkpoint.checkpoint.seq}.json`;
}

export function publicKeyFileName(keyId: string | null): string {
  return keyId === null ? 'audit-public-key.pem' : `audit-public-key-${keyId.slice(0, 12)}.pem`;
}

export const REASON_LABELS: Readonly<Record<AuditCheckpointView['reason'], string>> = {
  scheduled: 'Scheduled',
  'on-demand': 'Signed on demand',
  cli: 'Command line',
};

/** One line per delivery: where it stands and what to do about it. */
export function deliveryLine(delivery: WitnessDeliveryView, formatTime: (iso: string) => string): string {
  const what = `Checkpoint #${delivery.checkpointId} (row #${delivery.seq})`;
  const tries = delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`;
  switch (delivery.status) {
    case 'delivered':
      return `${what}: delivered ${formatTime(delivery.deliveredAt ?? delivery.lastAttemptAt ?? '')} (${tries})`;
    case 'failed':
      return `${what}: refused by the witness — ${delivery.lastError ?? 'no reason given'}. Save the witness again to retry.`;
    case 'pending':
      if (delivery.attempts === 0) return `${what}: waiting to be sent`;
      return `${what}: not delivered yet (${tries}; last: ${delivery.lastError ?? 'no answer'})${
        delivery.nextAttemptAt === null ? '' : `; next try ${formatTime(delivery.nextAttemptAt)}`
      }`;
  }
}

/** Whether the page should look again soon: a delivery is still on its way. */
export function witnessBusy(deliveries: readonly WitnessDeliveryView[]): boolean {
  return deliveries.some((delivery) => delivery.status === 'pending');
}

export function retentionLine(payloadDays: number | null): string {
  return payloadDays === null
    ? 'Payloads are kept forever (no retention age set).'
    : `Settled payloads older than ${payloadDays} ${payloadDays === 1 ? 'day' : 'days'} are pruned daily.`;
}

export function pruneResultLine(pass: RetentionPass, formatTime: (iso: string) => string): string {
  const tables = Object.entries(pass.rows)
    .filter(([, rows]) => rows > 0)
    .map(([table, rows]) => `${table} ${rows}`)
    .join(', ');
  const payloads = pass.payloads === 1 ? '1 payload' : `${pass.payloads} payloads`;
  return `Pruned ${payloads} settled before ${formatTime(pass.olderThan)} (older than ${pass.olderThanDays} days)${
    tables === '' ? '' : ` — rows per table: ${tables}`
  }.`;
}

/** The days field: a whole number in range, or the sentence that says what to enter. */
export function parseRetentionDays(text: string): { days: number } | { error: string } {
  const trimmed = text.trim();
  const days = Number(trimmed);
  if (trimmed === '' || !Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
    return { error: `Enter a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}.` };
  }
  return { days };
}

/**
 * Checks the witness form before the call (the server checks again, the URL policy included): an
 * http(s) URL, and a secret unless one is already saved. Answers field errors, empty when fine.
 */
export function witnessFormErrors(
  url: string,
  secret: string,
  secretSaved: boolean,
): { url?: string; secret?: string } {
  const errors: { url?: string; secret?: string } = {};
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed) || !URL.canParse(trimmed)) errors.url = 'Enter an http(s) URL.';
  if (secret === '' && !secretSaved) errors.secret = 'Enter the signing secret the witness checks.';
  else if (secret !== '' && secret.length < MIN_WITNESS_SECRET_LENGTH) {
    errors.secret = `A signing secret is at least ${MIN_WITNESS_SECRET_LENGTH} characters.`;
  }
  return errors;
}

export function backupLine(backup: { path: string; bytes: number }): string {
  const name = backup.path.split(/[\\/]/).at(-1) ?? backup.path;
  return `Backed up to ${name} (${formatBytes(backup.bytes)}).`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
