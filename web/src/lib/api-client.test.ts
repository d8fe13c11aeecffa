import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, apiRequest, parseRetryAfter } from './api-client';
import { useSessionStore } from './session';
import { aGrant } from '@/testing/fixtures';

const auth = aGrant('tok', 3600);

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status, headers }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

beforeEach(() => useSessionStore.getState().signIn(auth));
afterEach(() => {
  vi.unstubAllGlobals();
  useSessionStore.getState().signOut();
});

describe('apiRequest', () => {
  it('sends the bearer token and returns the parsed body', async () => {
    const fetchMock = respond(200, { value: 3 });
    const result = await apiRequest('/thing', z.object({ value: z.number() }));
    expect(result).toEqual({ value: 3 });
    const init = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init[0]).toBe('/api/v1/thing');
    expect((init[1].headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('turns a validation error into an ApiError naming the field', async () => {
    respond(422, { error: { code: 'validation_error', message: 'too short', field: 'password' } });
    const error = await apiRequest('/auth/register', z.unknown(), { body: {}, auth: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).field).toBe('password');
    expect((error as ApiError).message).toBe('too short');
  });

  it('reads the wait time of a rate limit', async () => {
    respond(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '7' });
    const error = (await apiRequest('/executions', z.unknown(), { body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.isRateLimited).toBe(true);
    expect(error.retryAfterSeconds).toBe(7);
  });

  it('ends the session when the server says the token is no good', async () => {
    respond(401, { error: { code: 'unauthorized', message: 'expired' } });
    await apiRequest('/executions', z.unknown()).catch(() => undefined);
    expect(useSessionStore.getState().session).toBeNull();
    expect(useSessionStore.getState().endedBecause).toMatch(/sign in again/);
  });

  it('explains a body that is not our error shape', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    const error = (await apiRequest('/x', z.unknown()).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('http_502');
    expect(error.message).toContain('502');
  });

  it('reports an unreachable server as a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const error = (await apiRequest('/x', z.unknown()).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('network_error');
  });

  it('rejects a response that does not match the schema', async () => {
    respond(200, { value: 'three' });
    const error = (await apiRequest('/x', z.object({ value: z.number() })).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('invalid_response');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
  });
});
