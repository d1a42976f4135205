import { setTimeout as delay } from 'node:timers/promises';

/** Polls `probe` until it answers something other than null; bounded, naming what it waited for. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null> | T | null,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await delay(25);
  }
}
