/** The colour theme: light, dark or following the system, remembered across visits. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type ThemeMode = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

interface ThemeState {
  mode: ThemeMode;
  setMode: (mode: ThemeMode) => void;
}

export const useThemeStore = create<ThemeState>()(
  persist((set) => ({ mode: 'system', setMode: (mode) => set({ mode }) }), {
    name: 'code-remote-theme',
  }),
);

export function resolveTheme(mode: ThemeMode, prefersDark: boolean): Theme {
  if (mode === 'system') return prefersDark ? 'dark' : 'light';
  return mode;
}

export function nextMode(mode: ThemeMode): ThemeMode {
  return mode === 'system' ? 'light' : mode === 'light' ? 'dark' : 'system';
}
