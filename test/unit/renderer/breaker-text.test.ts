import { describe, expect, it } from 'vitest';
import type { ConnectionBreakerView } from '../../../shared/domain/connection-breaker.js';
import { downBreakers, downSinceText, waitingText } from '../../../renderer/components/breaker-text.js';

const open = (changes: Partial<ConnectionBreakerView> = {}): ConnectionBreakerView => ({
  connectionId: 'conn_odoo',
  state: 'open',
  since: '2026-01-01T03:41:00.000Z',
  lastError: 'http.503: Service Unavailable',
  failures: 3,
  nextProbeAt: '2026-01-01T03:42:00.000Z',
  transitions: [],
  waitingFlowIds: [],
  ...changes,
});

// Formatted in the test process's zone, like the page: compare with the same formatter.
const hhmm = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));

describe('breaker texts', () => {
  it('says since when and how long until the next check', () => {
    const now = new Date('2026-01-01T03:41:20.000Z');
    expect(downSinceText(open(), now)).toBe(`Down since ${hhmm(open().since)} (next check in 40 s)`);
    expect(downSinceText(open({ nextProbeAt: '2026-01-01T03:46:20.000Z' }), now)).toMatch(
      /\(next check in 5 min\)$/,
    );
    expect(downSinceText(open({ state: 'half-open' }), now)).toMatch(/\(checking now\)$/);
    expect(downSinceText(open(), new Date('2026-01-01T03:43:00.000Z'))).toMatch(/\(checking now\)$/);
  });

  it('names the connection a flow waits for, and lists only breakers that are not closed', () => {
    expect(waitingText('Odoo', open())).toBe(`Waiting: Odoo down since ${hhmm(open().since)}`);
    expect(
      downBreakers([
        open(),
        open({ connectionId: 'b', state: 'closed' }),
        open({ connectionId: 'c', state: 'half-open' }),
      ]).map((v) => v.connectionId),
    ).toEqual(['conn_odoo', 'c']);
  });
});
