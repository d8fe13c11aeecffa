import { beforeEach, describe, expect, it } from 'vitest';
import { currentToken, useSessionStore } from './session';

const auth = { access_token: 'tok', token_type: 'Bearer', expires_in: 60, user: { id: 'u', username: 'ada', role: 'user' } };

beforeEach(() => useSessionStore.getState().signOut());

describe('session store', () => {
  it('keeps the token until it expires, then ends the session with a reason', () => {
    useSessionStore.getState().signIn(auth, 1_000);
    expect(currentToken(1_000 + 59_000)).toBe('tok');
    expect(currentToken(1_000 + 60_000)).toBeNull();
    expect(useSessionStore.getState().session).toBeNull();
    expect(useSessionStore.getState().endedBecause).toMatch(/expired/);
  });

  it('forgets the reason on the next sign-in', () => {
    useSessionStore.getState().signOut('gone');
    useSessionStore.getState().signIn(auth);
    expect(useSessionStore.getState().endedBecause).toBeNull();
    expect(useSessionStore.getState().session?.user.username).toBe('ada');
  });
});
