import { describe, expect, it } from 'vitest';
import { auditWitnessService } from '../../main/app/services/audit-witness-service.js';
import type { WitnessPass } from '../../main/audit/witness/witness-pusher.js';
import type { ServiceContext } from '../../main/app/services/service-supervisor.js';

function gate() {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('the checkpoint witness service', () => {
  it('passes at start; a kick during a pass runs one more after it and resolves when that one ended', async () => {
    const gates = [gate(), gate()];
    let passes = 0;
    const witness = auditWitnessService({
      everyMs: 60_000,
      push: async (): Promise<WitnessPass> => {
        const index = passes;
        passes += 1;
        await gates[index]?.promise;
        return { delivered: 1, undelivered: 0 };
      },
    });
    const died: unknown[] = [];
    const context = { died: (error: unknown) => died.push(error), report: () => undefined } as ServiceContext;
    const handle = await witness.definition.start(context);
    expect(passes).toBe(1); // the start pass is under way
    let kicked = false;
    const kick = witness.kick().then(() => (kicked = true));
    gates[0]?.open();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(passes).toBe(2); // the kick's pass, after the first
    expect(kicked).toBe(false);
    gates[1]?.open();
    await kick;
    expect(handle.detail?.()).toBe('2 delivered this run');
    expect(died).toEqual([]);
    await handle.stop();
    await witness.kick(); // stopped: nothing runs
    expect(passes).toBe(2);
  });

  it('a pass that cannot run fails the service with the reason', async () => {
    const witness = auditWitnessService({
      push: () => Promise.reject(new Error('no signing secret is saved for the checkpoint witness')),
    });
    const died: Error[] = [];
    const handle = await witness.definition.start({
      died: (error: unknown) => died.push(error as Error),
      report: () => undefined,
    });
    await witness.kick();
    expect(died[0]?.message).toBe(
      'The checkpoint witness could not push: no signing secret is saved for the checkpoint witness',
    );
    await handle.stop();
  });
});
