import { createStore } from 'zustand/vanilla';

export type Theme = 'light' | 'dark';

export interface ThemeStore {
  readonly theme: Theme;
  toggle(): void;
}

/** What the theme needs from the browser (a test passes small doubles). */
export interface ThemeEnvironment {
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  readonly prefersDark: () => boolean;
}

export const THEME_STORAGE_KEY = 'osc.theme';

function readSaved(storage: ThemeEnvironment['storage']): Theme | null {
  try {
    const saved = storage?.getItem(THEME_STORAGE_KEY);
    return saved === 'light' || saved === 'dark' ? saved : null;
  } catch {
    // Storage can be disabled (privacy settings); the theme then simply is not remembered.
    return null;
  }
}

/**
 * Light or dark. The first visit follows the system setting (prefers-color-scheme); once the operator
 * picks one with the Theme button, that choice is remembered in localStorage. Nothing else is stored
 * there.
 */
export function createThemeStore(env: ThemeEnvironment) {
  return createStore<ThemeStore>()((set, get) => ({
    theme: readSaved(env.storage) ?? (env.prefersDark() ? 'dark' : 'light'),
    toggle() {
      const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
      set({ theme });
      try {
        env.storage?.setItem(THEME_STORAGE_KEY, theme);
      } catch {
        // Not remembered across reloads; the toggle still works for this visit.
      }
    },
  }));
}

function browserEnvironment(): ThemeEnvironment {
  if (typeof window === 'undefined') return { storage: null, prefersDark: () => false };
  return {
    storage: window.localStorage,
    prefersDark: () => window.matchMedia('(prefers-color-scheme: dark)').matches,
  };
}

export const themeStore = createThemeStore(browserEnvironment());
