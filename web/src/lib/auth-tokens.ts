/**
 * Keeps the session's access token fresh: shortly before it expires it is exchanged for a new
 * one with the refresh token (one exchange at a time, however many calls are waiting), and
 * signing out revokes both tokens on the server.
 */
import { authResponseSchema } from './protocol';
import { useSessionStore } from './session';

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;

let refreshing: Promise<string | null> | null = null;

async function exchange(refreshToken: string): Promise<string | null> {
  try {
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken }),
    });
    const parsed = authResponseSchema.safeParse(await response.json().catch(() => null));
    if (response.ok && parsed.success) {
      useSessionStore.getState().signIn(parsed.data);
      return parsed.data.access_token;
    }
    if (response.status === 401) {
      useSessionStore.getState().signOut('Your session expired. Please sign in again.');
    }
  } catch {
    // Offline: keep the session; the next call tries again.
  }
  return null;
}

/** The access token to use now, refreshed first when it is about to expire. */
export async function freshToken(now = Date.now()): Promise<string | null> {
  const session = useSessionStore.getState().session;
  if (!session) return null;
  if (session.expiresAt - now > REFRESH_MARGIN_MS) return session.token;
  if (!session.refreshToken) return session.expiresAt > now ? session.token : null;
  refreshing ??= exchange(session.refreshToken).finally(() => {
    refreshing = null;
  });
  const token = await refreshing;
  return token ?? (session.expiresAt > now ? session.token : null);
}

/** Revokes the session's tokens on the server (best effort) and forgets them here. */
export async function signOutEverywhere(): Promise<void> {
  const session = useSessionStore.getState().session;
  useSessionStore.getState().signOut();
  if (!session) return;
  try {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(session.refreshToken ? { refresh_token: session.refreshToken } : {}),
      keepalive: true,
    });
  } catch {
    // The tokens expire on their own; signing out here has already happened.
  }
}
