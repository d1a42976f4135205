import type { LiveEvent } from '../../shared/contract/events.js';
import type { Result } from '../../shared/contract/result.js';

/**
 * The messages on the two kinds of channel around the core process. Pure and import-free at run time:
 * the sandboxed preload bundles it too.
 *
 * A window port (renderer ⇄ core) carries only requests, answers and live events. It never carries
 * who the caller is: the main process names the window when it hands the port over, so a page cannot
 * choose, or lie about, its own identity.
 */
export interface CoreRequest {
  readonly id: number;
  readonly op: string;
  readonly input: unknown;
}

export type CoreToWindow =
  | { readonly kind: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly kind: 'event'; readonly event: LiveEvent };

/** Main process → core process (on the parent port). `attach-window` carries the window's port. */
export type HostToCore =
  | { readonly type: 'attach-window'; readonly windowId: number }
  | { readonly type: 'window-closed'; readonly windowId: number }
  | { readonly type: 'shutdown' };

/** Core process → main process. */
export type CoreToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly message: string }
  | { readonly type: 'closed' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A request as the core accepts it; anything else (a page posting garbage) is null. */
export function parseCoreRequest(message: unknown): CoreRequest | null {
  if (!isRecord(message)) return null;
  const { id, op, input } = message;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof op !== 'string') return null;
  return { id, op, input };
}

export function parseCoreToWindow(message: unknown): CoreToWindow | null {
  if (!isRecord(message)) return null;
  if (message.kind === 'result' && typeof message.id === 'number' && isRecord(message.result)) {
    return message as unknown as CoreToWindow;
  }
  if (message.kind === 'event' && isRecord(message.event) && typeof message.event.type === 'string') {
    return message as unknown as CoreToWindow;
  }
  return null;
}

export function parseHostToCore(message: unknown): HostToCore | null {
  if (!isRecord(message)) return null;
  if (message.type === 'shutdown') return { type: 'shutdown' };
  if (
    (message.type === 'attach-window' || message.type === 'window-closed') &&
    typeof message.windowId === 'number' &&
    Number.isSafeInteger(message.windowId)
  ) {
    return { type: message.type, windowId: message.windowId };
  }
  return null;
}

export function parseCoreToHost(message: unknown): CoreToHost | null {
  if (!isRecord(message)) return null;
  if (message.type === 'ready' || message.type === 'closed') return { type: message.type };
  if (message.type === 'start-failed' && typeof message.message === 'string') {
    return { type: 'start-failed', message: message.message };
  }
  return null;
}
