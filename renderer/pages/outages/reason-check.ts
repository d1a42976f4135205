/**
 * The contract asks a reason of at least 3 characters (degraded mode, manual entries); checked here
 * first, so the mistake shows at the field instead of coming back from the server.
 */
export function reasonProblem(reason: string): string | null {
  return reason.trim().length < 3 ? 'Say why (at least 3 characters)' : null;
}
