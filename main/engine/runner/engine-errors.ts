/** A refused engine request, with the API error code it maps to (crosses the worker channel as is). */
export class EngineRequestError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'invalid-input' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'EngineRequestError';
  }
}
