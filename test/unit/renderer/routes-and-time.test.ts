import { describe, expect, it } from 'vitest';
import { absoluteTime, relativeTime } from '../../../renderer/app/format-time.js';
import { resolveRoute, routeFromHash, visibleRoutes } from '../../../renderer/app/routes.js';
import { canCall } from '../../../renderer/app/use-can.js';

describe('navigation by role', () => {
  it('shows Operators to administrators only, and the audit log to roles that may read it', () => {
    const labels = (roles: Parameters<typeof visibleRoutes>[0]) =>
      visibleRoutes(roles).map((info) => info.label);
    const engine = ['Flows', 'Mappings', 'Lineage'];
    expect(labels(['administrator'])).toEqual([
      'Overview',
      'Exceptions',
      'Connections',
      'Outages',
      // Every role reads reconciliation status (issue 12).
      'Reconciliation',
      ...engine,
      'Audit log',
      // Signed checkpoints are for every role (issue 13); the page hides what a role cannot change.
      'Audit store',
      'Operators',
    ]);
    expect(labels(['it-staff'])).toEqual([
      'Overview',
      'Exceptions',
      'Connections',
      'Outages',
      'Reconciliation',
      ...engine,
      'Audit log',
      'Audit store',
    ]);
    expect(labels(['finance'])).toEqual([
      'Overview',
      'Exceptions',
      'Connections',
      'Outages',
      'Reconciliation',
      ...engine,
      'Audit store',
    ]);
    expect(labels(['viewer'])).toContain('Exceptions');
    expect(labels(['viewer'])).toContain('Audit store');
    expect(labels(['viewer'])).toContain('Reconciliation');
    expect(labels([])).toEqual([]);
  });

  it('lands finance users on the exceptions inbox and everyone else on the overview', () => {
    expect(resolveRoute(null, ['finance'])).toBe('exceptions');
    expect(resolveRoute(null, ['finance', 'it-staff'])).toBe('exceptions');
    expect(resolveRoute(null, ['administrator'])).toBe('overview');
  });

  it('falls back to an allowed page when the address asks for another', () => {
    expect(resolveRoute('operators', ['viewer'])).toBe('overview');
    expect(resolveRoute('audit', ['viewer'])).toBe('audit');
    expect(resolveRoute('operators', ['finance'])).toBe('exceptions');
    expect(resolveRoute('flows', ['finance'])).toBe('flows');
    expect(resolveRoute(null, ['it-staff'])).toBe('overview');
    expect(resolveRoute(null, ['viewer'])).toBe('overview');
    expect(resolveRoute('audit', [])).toBeNull();
  });

  it('reads hash routes', () => {
    expect(routeFromHash('#/audit')).toBe('audit');
    expect(routeFromHash('#operators')).toBe('operators');
    expect(routeFromHash('#/../../etc')).toBeNull();
    expect(routeFromHash('')).toBeNull();
  });

  it('hides actions by the contract access table', () => {
    expect(canCall(['viewer'], 'connections.create')).toBe(false);
    expect(canCall(['it-staff'], 'connections.setSecret')).toBe(true);
    expect(canCall(['finance'], 'audit.verify')).toBe(false);
    expect(canCall([], 'session.lock')).toBe(true);
  });
});

describe('time formats', () => {
  const now = new Date('2025-03-10T12:00:00Z');
  it('says how long ago, in words', () => {
    expect(relativeTime('2025-03-10T11:59:30Z', now, 'en')).toBe('just now');
    expect(relativeTime('2025-03-10T09:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(relativeTime('2025-03-09T12:00:00Z', now, 'en')).toBe('yesterday');
  });

  it('shows unreadable input as it came', () => {
    expect(relativeTime('not a date', now)).toBe('not a date');
    expect(absoluteTime('not a date')).toBe('not a date');
    expect(absoluteTime('2025-03-10T12:00:00Z', 'en')).toMatch(/2025/);
  });
});
