import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.js';
import type { AuditVerification } from '../../../shared/domain/audit.js';
import { createAuditStore } from '../../../renderer/stores/audit-store.js';
import { isLiveEvent } from '../../../renderer/client/live-event-shape.js';
import { verifyProgressText } from '../../../renderer/pages/audit/VerifyChain.js';
import { deferred, fakeOperations } from './fake-operations.js';

describe('audit verification progress on the Audit page', () => {
  it('shows rows done of total while its own verification runs, and forgets them when it ends', async () => {
    const store = createAuditStore();
    const answer = deferred<Result<AuditVerification>>();
    const { ops } = fakeOperations({ 'audit.verify': () => answer.promise });
    store.getState().onVerifyProgress({ type: 'audit.verifying', done: 5, total: 10 });
    expect(store.getState().verifyProgress).toBeNull(); // not verifying: another console's walk
    const running = store.getState().verify(ops);
    store.getState().onVerifyProgress({ type: 'audit.verifying', done: 2_000_000, total: 10_000_000 });
    expect(store.getState().verifyProgress).toEqual({ done: 2_000_000, total: 10_000_000 });
    expect(verifyProgressText(store.getState().verifyProgress!)).toBe(
      'Checked 2,000,000 of 10,000,000 rows (20 %)',
    );
    answer.resolve({
      ok: true,
      value: { ok: true, rows: 10_000_000, headSeq: 10_000_000, headHash: 'a'.repeat(64) },
    });
    await running;
    expect(store.getState().verifyProgress).toBeNull();
    expect(store.getState().verification).toMatchObject({ ok: true, rows: 10_000_000 });
  });

  it('accepts a well-formed audit.verifying event and drops a damaged one', () => {
    expect(isLiveEvent({ type: 'audit.verifying', done: 1, total: 2 })).toBe(true);
    expect(isLiveEvent({ type: 'audit.verifying', done: '1', total: 2 })).toBe(false);
    expect(isLiveEvent({ type: 'audit.verifying', done: -1, total: 2 })).toBe(false);
  });
});
