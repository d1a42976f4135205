/** What a key press does in the inbox (keyboard triage); the page documents the same table. */
export type TriageCommand =
  | { readonly kind: 'move'; readonly delta: 1 | -1 }
  | { readonly kind: 'open' }
  | { readonly kind: 'ignore' }
  | { readonly kind: 'assign-to-me' }
  | { readonly kind: 'note' }
  | { readonly kind: 'retry' }
  | { readonly kind: 'replay' };

export const TRIAGE_KEYS: readonly {
  readonly keys: string;
  readonly does: string;
  readonly acts: boolean;
}[] = [
  { keys: 'j or ↓', does: 'next exception', acts: false },
  { keys: 'k or ↑', does: 'previous exception', acts: false },
  { keys: 'Enter', does: 'open its detail', acts: true },
  { keys: 'a', does: 'assign it to me', acts: true },
  { keys: 'n', does: 'write a note', acts: true },
  { keys: 'i', does: 'ignore it (asks for the reason)', acts: true },
  { keys: 'r', does: 'retry it', acts: true },
  { keys: 'e', does: 'edit and replay it', acts: true },
];

export interface TriageKeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  /** The element the key was pressed in: typing in a field is never a command. */
  readonly targetTag: string;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
const CONTROL_TAGS = new Set(['BUTTON', 'A']);

/**
 * The triage command for a key press, or null. Roles that may not act (viewers) only move; the
 * server refuses their actions anyway, so the keys do not offer them.
 */
export function triageCommand(press: TriageKeyPress, canAct: boolean): TriageCommand | null {
  if (press.ctrlKey || press.metaKey || press.altKey || TYPING_TAGS.has(press.targetTag.toUpperCase()))
    return null;
  // Enter on a focused button or link presses it; it opens the detail only from the list itself.
  if (press.key === 'Enter' && CONTROL_TAGS.has(press.targetTag.toUpperCase())) return null;
  switch (press.key) {
    case 'j':
    case 'ArrowDown':
      return { kind: 'move', delta: 1 };
    case 'k':
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    default:
      break;
  }
  if (!canAct) return null;
  switch (press.key) {
    case 'Enter':
      return { kind: 'open' };
    case 'i':
      return { kind: 'ignore' };
    case 'a':
      return { kind: 'assign-to-me' };
    case 'n':
      return { kind: 'note' };
    case 'r':
      return { kind: 'retry' };
    case 'e':
      return { kind: 'replay' };
    default:
      return null;
  }
}
