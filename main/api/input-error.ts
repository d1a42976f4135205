import type { z } from 'zod';

/**
 * Turns a schema failure into one line an operator can act on: the field and what is wrong with it.
 * Zod messages name expected types and allowed values, never the rejected value itself.
 */
export function formatInputError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
