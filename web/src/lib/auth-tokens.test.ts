import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshToken, signOutEverywhere } from './auth-tokens';
import { useSessionStore } from './session';
import { aGrant } from '@/testing/fixtures';

const auth = (token: string, expiresIn: number) => ({ ...aGrant(token, expiresIn), refresh_token: `refresh-${token}` });

beforeEach(() => useSessionStore.getState().signOut());
afterEach(() => vi.unstubAllGlobals());

describe('fresh tokens', () => {
  it('uses the current token while it has time left', async () => {
    useSessionStore.getState().signIn(auth('a', 3600));
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    expect(await freshToken()).toBe('a');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('exchanges the refresh token once, however many calls wait for it', async () => {
    useSessionStore.getState().signIn(auth('old', 30));
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(auth('new', 3600)), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const tokens = await Promise.all([freshToken(), freshToken(), freshToken()]);
    expect(tokens).toEqual(['new', 'new', 'new']);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/auth/refresh');
    expect(JSON.parse(String(init.body))).toEqual({ refresh_token: 'refresh-old' });
    expect(useSessionStore.getState().session?.token).toBe('new');
  });

  it('ends the session when the refresh token is refused', async () => {
    useSessionStore.getState().signIn(auth('old', 30));
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"error":{"code":"unauthorized","message":"no"}}', { status: 401 })));
    await freshToken();
    expect(useSessionStore.getState().session).toBeNull();
  });

  it('revokes both tokens when signing out', async () => {
    useSessionStore.getState().signIn(auth('a', 3600));
    const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetchMock);
    await signOutEverywhere();
    expect(useSessionStore.getState().session).toBeNull();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/auth/logout');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer a');
    expect(JSON.parse(String(init.body))).toEqual({ refresh_token: 'refresh-a' });
  });
});
