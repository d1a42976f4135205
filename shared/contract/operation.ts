import type { z } from 'zod';
import type { Access } from './roles.js';

/** Carries an operation's output type without a runtime schema: the server is the source of truth. */
export interface Returns<T> {
  readonly __returns?: T;
}
export function returns<T>(): Returns<T> {
  return {};
}

export interface OperationSpec<Input extends z.ZodType = z.ZodType, Output = unknown> {
  /** One line for the operator-facing docs and the audit page. */
  readonly summary: string;
  readonly input: Input;
  readonly output: Returns<Output>;
  readonly access: Access;
  /**
   * Input fields whose values must never be stored, logged or echoed (passwords, API keys, tokens).
   * The dispatcher drops them from the audit detail; redaction by key name backs this up.
   */
  readonly secretFields?: readonly string[];
  /** Reads are audited too; marking them lets the audit page filter noise. */
  readonly kind: 'read' | 'write';
}

export function operation<Input extends z.ZodType, Output>(
  spec: OperationSpec<Input, Output>,
): OperationSpec<Input, Output> {
  return spec;
}
