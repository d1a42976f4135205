import type { LiveEvent } from './events.js';
import type { OperationInput, OperationName, OperationOutput } from './operations.js';
import type { Result } from './result.js';

/**
 * The shape both transports give the renderer: one function per operation, plus the live-event
 * stream. In Electron the preload exposes exactly this object as `window.osc` (one function per
 * operation, never a generic invoke); in a browser the HTTP client implements the same type.
 */
export type OperationFunctions = {
  readonly [N in OperationName]: (input: OperationInput<N>) => Promise<Result<OperationOutput<N>>>;
};

export interface OscBridge {
  readonly operations: OperationFunctions;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: LiveEvent) => void): () => void;
}

export const BRIDGE_GLOBAL = 'osc';
