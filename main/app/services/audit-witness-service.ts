import type { WitnessPass } from '../../audit/witness/witness-pusher.js';
import type { ServiceDefinition } from './service-supervisor.js';

/** How often the witness looks for checkpoints it is owed (a kick brings a new one at once). */
export const DEFAULT_AUDIT_WITNESS_INTERVAL_MS = 60_000;

export interface AuditWitnessDeps {
  /** One pass: owe the witness every new checkpoint, push the due ones (witness-pusher.ts). */
  readonly push: () => Promise<WitnessPass>;
  readonly everyMs?: number;
}

export interface AuditWitness {
  readonly definition: ServiceDefinition;
  /**
   * A checkpoint was signed or the witness saved: push now rather than at the next tick. Resolves
   * when a pass that started after the kick has ended (at once when the service is not running).
   */
  kick(): Promise<void>;
}

/**
 * The running console's checkpoint witness. A pass runs when the service starts (so what a stopped
 * console owed, and what `osc audit-checkpoint` signed meanwhile, go out first), on every tick and
 * on every kick; one at a time, and a kick during a pass runs one more after it. A pass that cannot
 * run at all (no secret saved, keychain locked) fails the service so the Services section says why;
 * a witness that is down is not a failure of the service: its deliveries wait, pending, in the store.
 */
export function auditWitnessService(deps: AuditWitnessDeps): AuditWitness {
  let kickRunning: (() => Promise<void>) | null = null;
  const definition: ServiceDefinition = {
    name: 'audit-witness',
    label: 'Checkpoint witness',
    start(context) {
      let again = false;
      let stopped = false;
      let delivered = 0;
      let last: WitnessPass | null = null;
      let current: Promise<void> | null = null;
      // Read through functions: a kick or stop() changes them while a pass awaits, which the
      // compiler's narrowing of the loop below cannot see.
      const runAgain = (): boolean => again && !stopped;
      const isStopped = (): boolean => stopped;
      const pass = (): Promise<void> => {
        if (stopped) return Promise.resolve();
        if (current !== null) {
          // The running loop checks `again` after its pass, so it runs once more for this kick.
          again = true;
          return current;
        }
        current = (async () => {
          try {
            do {
              again = false;
              last = await deps.push();
              delivered += last.delivered;
            } while (runAgain());
          } catch (error) {
            if (!isStopped()) {
              const message = error instanceof Error ? error.message : String(error);
              context.died(new Error(`The checkpoint witness could not push: ${message}`));
            }
          } finally {
            current = null;
          }
        })();
        return current;
      };
      const timer = setInterval(() => void pass(), deps.everyMs ?? DEFAULT_AUDIT_WITNESS_INTERVAL_MS);
      timer.unref();
      kickRunning = pass;
      void pass();
      return Promise.resolve({
        detail: () => {
          const waiting = last === null || last.undelivered === 0 ? '' : `; ${last.undelivered} waiting`;
          return `${delivered} delivered this run${waiting}`;
        },
        stop: () => {
          stopped = true;
          clearInterval(timer);
          if (kickRunning === pass) kickRunning = null;
        },
      });
    },
  };
  return { definition, kick: () => kickRunning?.() ?? Promise.resolve() };
}
