/** Resolves the theme (following the system when asked to) and applies it to the page. */
import { useEffect, useSyncExternalStore } from 'react';
import { resolveTheme, type Theme, useThemeStore } from '@/lib/theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribe(notify: () => void) {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', notify);
  return () => query.removeEventListener('change', notify);
}

export function useTheme(): Theme {
  const mode = useThemeStore((state) => state.mode);
  const prefersDark = useSyncExternalStore(subscribe, () => window.matchMedia(DARK_QUERY).matches);
  return resolveTheme(mode, prefersDark);
}

export function useApplyTheme() {
  const theme = useTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
}
