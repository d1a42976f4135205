import { describe, expect, it } from 'vitest';
import { createThemeStore, THEME_STORAGE_KEY } from '../../../renderer/stores/theme-store.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe('theme store', () => {
  it('follows the system preference on the first visit', () => {
    expect(createThemeStore({ storage: memoryStorage(), prefersDark: () => true }).getState().theme).toBe(
      'dark',
    );
    expect(createThemeStore({ storage: memoryStorage(), prefersDark: () => false }).getState().theme).toBe(
      'light',
    );
  });

  it('prefers the remembered choice, and ignores a damaged value', () => {
    const saved = memoryStorage({ [THEME_STORAGE_KEY]: 'light' });
    expect(createThemeStore({ storage: saved, prefersDark: () => true }).getState().theme).toBe('light');
    const damaged = memoryStorage({ [THEME_STORAGE_KEY]: 'purple' });
    expect(createThemeStore({ storage: damaged, prefersDark: () => true }).getState().theme).toBe('dark');
  });

  it('toggles and remembers only the theme', () => {
    const storage = memoryStorage();
    const store = createThemeStore({ storage, prefersDark: () => false });
    store.getState().toggle();
    expect(store.getState().theme).toBe('dark');
    expect([...storage.data.entries()]).toEqual([[THEME_STORAGE_KEY, 'dark']]);
    store.getState().toggle();
    expect(storage.data.get(THEME_STORAGE_KEY)).toBe('light');
  });

  it('still works when storage is blocked', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = createThemeStore({ storage: blocked, prefersDark: () => false });
    expect(store.getState().theme).toBe('light');
    store.getState().toggle();
    expect(store.getState().theme).toBe('dark');
  });
});
