/** A mapping that cannot be compiled: names the field or rule and JSONata's reason. */
export class MappingCompileError extends Error {
  constructor(
    readonly where: string,
    reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'MappingCompileError';
  }
}

/** One record that a valid mapping could not map (missing value-map code, runtime error, no key). */
export class MappingEvalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MappingEvalError';
  }
}
