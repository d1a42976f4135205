import { describe, expect, it } from 'vitest';
import { rolesAllow } from '../../../shared/contract/roles.js';

/**
 * The contract's role check on its own (the dispatcher calls it for every operation, the renderer to
 * hide what a role may not do). Mutation testing found that `some` → `every` and a dropped
 * 'public' case survived the role matrix, whose operators each hold one role and whose public
 * operations the dispatcher answers before asking rolesAllow.
 */
describe('rolesAllow', () => {
  it('lets an operator through when any one of their roles is listed', () => {
    expect(rolesAllow(['finance'], ['viewer', 'finance'])).toBe(true);
    expect(rolesAllow(['administrator', 'it-staff'], ['it-staff'])).toBe(true);
  });

  it('refuses when none of their roles is listed, or they hold none', () => {
    expect(rolesAllow(['administrator'], ['viewer', 'finance'])).toBe(false);
    expect(rolesAllow(['viewer'], [])).toBe(false);
  });

  it('lets anyone call public and any-operator operations', () => {
    expect(rolesAllow('public', [])).toBe(true);
    expect(rolesAllow('any-operator', [])).toBe(true);
    expect(rolesAllow('any-operator', ['viewer'])).toBe(true);
  });
});
