import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  ServiceSupervisor,
  type ServiceContext,
  type ServiceDefinition,
} from '../../../main/app/services/service-supervisor.js';
import type { ServiceStatus } from '../../../shared/contract/ops/service-ops.js';

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await delay(10);
  }
}

const stateOf = (supervisor: ServiceSupervisor, name: string): ServiceStatus | undefined =>
  supervisor.status().find((service) => service.name === name);

describe('the service supervisor', () => {
  it('restarts a service that fails to start, with growing delays, and shows why', async () => {
    const startedAt: number[] = [];
    // What the console showed when the supervisor came back for its first retry: read inside the
    // retry itself, not by polling, which a loaded machine lets miss the 40 ms window.
    let shownAtFirstRetry: ServiceStatus | undefined;
    const flaky: ServiceDefinition = {
      name: 'flaky',
      label: 'Flaky',
      start() {
        startedAt.push(Date.now());
        if (startedAt.length === 2) shownAtFirstRetry = stateOf(supervisor, 'flaky');
        if (startedAt.length <= 3) return Promise.reject(new Error(`refused #${startedAt.length}`));
        return Promise.resolve({ stop() {}, detail: () => 'up' });
      },
    };
    const supervisor = new ServiceSupervisor({ initialDelayMs: 40, maxDelayMs: 2000 });
    supervisor.register(flaky);
    supervisor.startAll();
    await until('running', () => stateOf(supervisor, 'flaky')?.state === 'running');
    expect(shownAtFirstRetry?.lastError).toBe('refused #1');
    const status = stateOf(supervisor, 'flaky');
    expect(status).toMatchObject({ restarts: 3, lastError: 'refused #3', detail: 'up' });
    expect(startedAt).toHaveLength(4);
    // Backoff, not a tight loop: the three waits together take clearly longer than one initial delay.
    expect(startedAt[3]! - startedAt[0]!).toBeGreaterThanOrEqual(3 * 20);
    await supervisor.stopAll();
    expect(stateOf(supervisor, 'flaky')?.state).toBe('stopped');
  });

  it('shows a service that keeps failing as failed, and still starts it once it can', async () => {
    let attempts = 0;
    const supervisor = new ServiceSupervisor({ initialDelayMs: 20, maxDelayMs: 40, failedAfter: 3 });
    supervisor.register({
      name: 'stubborn',
      label: 'Stubborn',
      start: () => {
        attempts += 1;
        return attempts <= 4 ? Promise.reject(new Error(`no #${attempts}`)) : Promise.resolve({ stop() {} });
      },
    });
    const seen: string[] = [];
    const timer = setInterval(() => seen.push(stateOf(supervisor, 'stubborn')?.state ?? ''), 5);
    supervisor.startAll();
    await until('running at last', () => stateOf(supervisor, 'stubborn')?.state === 'running');
    clearInterval(timer);
    expect(seen).toContain('restarting');
    expect(seen).toContain('failed');
    expect(seen.indexOf('restarting')).toBeLessThan(seen.indexOf('failed'));
    await supervisor.stopAll();
  });

  it('restarts a running service that dies, and stops it first', async () => {
    let context: ServiceContext | null = null;
    let starts = 0;
    let stops = 0;
    const supervisor = new ServiceSupervisor({ initialDelayMs: 20, maxDelayMs: 200 });
    supervisor.register({
      name: 'mortal',
      label: 'Mortal',
      start(serviceContext) {
        context = serviceContext;
        starts += 1;
        return Promise.resolve({
          stop() {
            stops += 1;
          },
        });
      },
    });
    supervisor.startAll();
    await until('running', () => stateOf(supervisor, 'mortal')?.state === 'running');
    (context as ServiceContext | null)?.died(new Error('socket gone'));
    expect(stateOf(supervisor, 'mortal')?.state).toBe('restarting');
    await until('running again', () => starts === 2 && stateOf(supervisor, 'mortal')?.state === 'running');
    expect(stops).toBe(1);
    expect(stateOf(supervisor, 'mortal')).toMatchObject({ restarts: 1, lastError: 'socket gone' });
    await supervisor.stopAll();
    expect(stops).toBe(2);
  });

  it('keeps a failing service from holding the others back, and never restarts after stopAll', async () => {
    let attempts = 0;
    const supervisor = new ServiceSupervisor({ initialDelayMs: 30, maxDelayMs: 30 });
    supervisor.register({
      name: 'broken',
      label: 'Broken',
      start: () => {
        attempts += 1;
        return Promise.reject(new Error('no'));
      },
    });
    supervisor.register({ name: 'fine', label: 'Fine', start: () => Promise.resolve({ stop() {} }) });
    supervisor.startAll();
    await until('fine running', () => stateOf(supervisor, 'fine')?.state === 'running');
    await until('broken retried', () => attempts >= 2);
    await supervisor.stopAll();
    const after = attempts;
    await delay(150);
    expect(attempts).toBe(after);
    expect(supervisor.status().map((service) => service.state)).toEqual(['stopped', 'stopped']);
  });
});
