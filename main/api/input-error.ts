import type { z } from 'zod';

const MAX_PATH_SEGMENT_CHARS = 64;
const MAX_ISSUE_CHARS = 300;

/**
 * Turns a schema failure into one line an operator can act on: the field and what is wrong with it.
 * Zod messages name expected types and allowed values, never the rejected value itself — but an
 * unknown key or a record key is the caller's text and can be any length, so each is cut.
 */
export function formatInputError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const line = issue.path.length > 0 ? `${issuePath(issue.path)}: ${issue.message}` : issue.message;
      return line.length > MAX_ISSUE_CHARS ? `${line.slice(0, MAX_ISSUE_CHARS)}…` : line;
    })
    .join('; ');
}

/** The failing fields, for the audit row: at most five, each path bounded. */
export function invalidFields(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issuePath(issue.path) || '(input)'))].slice(0, 5);
}

function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => {
      const text = String(segment);
      return text.length > MAX_PATH_SEGMENT_CHARS ? `${text.slice(0, MAX_PATH_SEGMENT_CHARS)}…` : text;
    })
    .join('.')
    .slice(0, 4 * MAX_PATH_SEGMENT_CHARS);
}
