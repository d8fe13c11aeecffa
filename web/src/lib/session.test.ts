import { beforeEach, describe, expect, it } from 'vitest';
import { aGrant } from '@/testing/fixtures';
import { hasUsableSession, useSessionStore } from './session';

const auth = aGrant('tok', 60);

beforeEach(() => useSessionStore.getState().signOut());

describe('session store', () => {
  it('computes when the token expires from expires_in', () => {
    useSessionStore.getState().signIn(auth, 1_000);
    const session = useSessionStore.getState().session;
    expect(session?.expiresAt).toBe(61_000);
    expect(session?.refreshToken).toBeNull();
  });

  it('counts an expired session as usable only while it can be refreshed', () => {
    useSessionStore.getState().signIn(auth, 0);
    const expired = useSessionStore.getState().session;
    expect(hasUsableSession(expired, 30_000)).toBe(true);
    expect(hasUsableSession(expired, 60_000)).toBe(false);
    useSessionStore.getState().signIn({ ...auth, refresh_token: 'r' }, 0);
    expect(hasUsableSession(useSessionStore.getState().session, 600_000)).toBe(true);
    expect(hasUsableSession(null)).toBe(false);
  });

  it('remembers why a session ended until the next sign-in', () => {
    useSessionStore.getState().signOut('gone');
    expect(useSessionStore.getState().endedBecause).toBe('gone');
    useSessionStore.getState().signIn(auth);
    expect(useSessionStore.getState().endedBecause).toBeNull();
    expect(useSessionStore.getState().session?.user.username).toBe('ada');
  });
});
