/**
 * The signed-in session: the bearer token and who it belongs to, kept in localStorage so a
 * reload stays signed in. Shared by the API client, the WebSocket and the auth feature.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { AuthResponse, User } from './protocol';

/** What a sign-in grants: the API's token answer; single sign-on gives no refresh token. */
export type SessionGrant = Omit<AuthResponse, 'refresh_token'> & { refresh_token?: string | null };

export interface Session {
  token: string;
  /** Exchanged for a new token shortly before `token` expires. */
  refreshToken: string | null;
  user: User;
  /** Milliseconds since the epoch after which the token is no longer accepted. */
  expiresAt: number;
}

interface SessionState {
  session: Session | null;
  /** Why the last session ended, when it was not the user's choice (shown on the sign-in page). */
  endedBecause: string | null;
  signIn: (auth: SessionGrant, now?: number) => void;
  signOut: (reason?: string) => void;
}

/** A storage that works where localStorage does not exist (tests, private modes). */
function browserStorage(): Storage {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    // Access to localStorage can throw (blocked cookies); fall through to memory.
  }
  const memory = new Map<string, string>();
  return {
    get length() {
      return memory.size;
    },
    clear: () => memory.clear(),
    getItem: (key) => memory.get(key) ?? null,
    key: (index) => [...memory.keys()][index] ?? null,
    removeItem: (key) => void memory.delete(key),
    setItem: (key, value) => void memory.set(key, value),
  };
}

export const useSessionStore = create<SessionState>()(
  persist(
    (set) => ({
      session: null,
      endedBecause: null,
      signIn: (auth, now = Date.now()) =>
        set({
          session: {
            token: auth.access_token,
            refreshToken: auth.refresh_token ?? null,
            user: auth.user,
            expiresAt: now + auth.expires_in * 1000,
          },
          endedBecause: null,
        }),
      signOut: (reason) => set({ session: null, endedBecause: reason ?? null }),
    }),
    {
      name: 'code-remote-session',
      storage: createJSONStorage(browserStorage),
      partialize: (state) => ({ session: state.session }),
    },
  ),
);

/** Whether there is a session that is, or can be made, valid. */
export function hasUsableSession(session: Session | null, now = Date.now()): boolean {
  return Boolean(session && (session.expiresAt > now || session.refreshToken));
}
