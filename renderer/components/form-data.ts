/** Reads one text field of a submitted form ('' when missing): the way uncontrolled password inputs are read. */
export function readField(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * Empties the password inputs of a form right after submit, so a typed password lives no longer
 * than the call that needed it (it never enters React or zustand state).
 */
export function clearSecretInputs(form: HTMLFormElement): void {
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = '';
}
