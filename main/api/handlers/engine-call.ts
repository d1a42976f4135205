import { ApiFailure, isErrorCode } from '../../../shared/contract/result.js';
import type { EngineClient } from '../../engine/worker/engine-client.js';
import { EngineCallError } from '../../engine/worker/engine-client.js';
import type { EngineInput, EngineOutput, EngineRequestType } from '../../engine/worker/engine-protocol.js';

/** An engine call from a handler: the worker's refusal becomes the matching API error. */
export async function callEngine<K extends EngineRequestType>(
  engine: EngineClient,
  type: K,
  input: EngineInput<K>,
): Promise<EngineOutput<K>> {
  try {
    return await engine.call(type, input);
  } catch (error) {
    if (error instanceof EngineCallError) {
      const code = isErrorCode(error.code) && error.code !== 'internal' ? error.code : 'unavailable';
      throw new ApiFailure(code, error.message);
    }
    throw error;
  }
}

/** Tells the engine that flows changed (schedules follow); a stopped engine picks it up at start. */
export function notifyFlowsChanged(engine: EngineClient): void {
  engine.call('flowsChanged', {}).catch(() => undefined);
}
