import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../main/auth/password-hash.js';

describe('operator password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('a long enough password');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('a long enough password');
    await expect(verifyPassword('a long enough password', stored)).resolves.toBe(true);
    await expect(verifyPassword('a long enough passwore', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password twice')).not.toBe(await hashPassword('same password twice'));
  });

  it('treats unicode forms of the same password alike', async () => {
    const stored = await hashPassword('caf\u00e9 password 1');
    await expect(verifyPassword('cafe\u0301 password 1', stored)).resolves.toBe(true);
  });

  it.each(['', 'plain', 'scrypt$1$1$1$AA$AA', 'scrypt$99999999$8$1$AAAA$AAAA', 'bcrypt$x$y$z$a$b'])(
    'refuses a malformed stored hash %j without throwing',
    async (stored) => {
      await expect(verifyPassword('whatever password', stored)).resolves.toBe(false);
    },
  );
});
