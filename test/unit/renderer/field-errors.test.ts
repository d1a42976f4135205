import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorsFromMessage, errorsFromZod, placeErrors } from '../../../renderer/client/field-errors.js';

describe('field errors', () => {
  it("splits a server 'invalid-input' message into field errors", () => {
    const errors = errorsFromMessage(
      'settings.baseUrl: Enter a full http(s) URL; name: Give the connection a name',
    );
    expect(errors).toEqual({
      fields: { 'settings.baseUrl': 'Enter a full http(s) URL', name: 'Give the connection a name' },
      form: null,
    });
  });

  it('keeps what names no field as a form message', () => {
    expect(errorsFromMessage('Send the input as application/json.')).toEqual({
      fields: {},
      form: 'Send the input as application/json.',
    });
    expect(errorsFromMessage('Invalid input; password: Use at least 12 characters')).toEqual({
      fields: { password: 'Use at least 12 characters' },
      form: 'Invalid input',
    });
  });

  it('reads zod issues with a path prefix, first message per field', () => {
    const schema = z.object({ a: z.string().min(3, 'too short').regex(/x/, 'needs x'), b: z.number() });
    const result = schema.safeParse({ a: 'y', b: 'no' });
    expect(result.success).toBe(false);
    if (!result.success) {
      const errors = errorsFromZod(result.error, ['settings']);
      expect(errors.fields['settings.a']).toBe('too short');
      expect(Object.keys(errors.fields).sort()).toEqual(['settings.a', 'settings.b']);
    }
  });

  it('moves errors for fields the form does not show into the form message', () => {
    const placed = placeErrors({ fields: { name: 'Missing', settings: 'Invalid input' }, form: null }, [
      'name',
    ]);
    expect(placed).toEqual({ fields: { name: 'Missing' }, form: 'settings: Invalid input' });
  });
});
