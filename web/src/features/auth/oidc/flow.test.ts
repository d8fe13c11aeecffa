import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildAuthorizationRequest, completeAuthorization, OidcError } from './flow';
import { base64Url, codeChallenge, decodeJwtClaims } from './pkce';

class MemoryStorage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const issuer = 'https://id.example.org';
const provider = { issuer, client_id: 'code-remote' };
const discovery = {
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
};

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => base64Url(new TextEncoder().encode(JSON.stringify(value)));
  return `${encode({ alg: 'RS256' })}.${encode(claims)}.signature`;
}

/** A provider that answers discovery, and the token request with an ID token for `nonce`. */
function fakeProvider(idTokenClaims: (nonce: string) => Record<string, unknown>) {
  const requests: { url: string; body: URLSearchParams | null }[] = [];
  let nonce = '';
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const body = init?.body ? new URLSearchParams(String(init.body)) : null;
      requests.push({ url, body });
      if (url.endsWith('/.well-known/openid-configuration')) return Response.json(discovery);
      if (url === discovery.token_endpoint) return Response.json({ id_token: jwt(idTokenClaims(nonce)), token_type: 'Bearer' });
      return new Response('not found', { status: 404 });
    }),
  );
  return { requests, setNonce: (value: string) => (nonce = value) };
}

afterEach(() => vi.unstubAllGlobals());

async function startAndReturn(storage: MemoryStorage, claims: (nonce: string) => Record<string, unknown>) {
  const provider$ = fakeProvider(claims);
  const url = new URL(await buildAuthorizationRequest(provider, { origin: 'https://cr.example', from: '/runs/1', storage: storage }));
  provider$.setNonce(url.searchParams.get('nonce')!);
  return { url, requests: provider$.requests };
}

describe('OpenID Connect sign-in', () => {
  it('sends an authorization request with PKCE, state and nonce to the discovered endpoint', async () => {
    const storage = new MemoryStorage();
    const { url } = await startAndReturn(storage, () => ({}));
    expect(url.origin + url.pathname).toBe(discovery.authorization_endpoint);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('code-remote');
    expect(url.searchParams.get('redirect_uri')).toBe('https://cr.example/auth/callback');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toContain('openid');
    const pending = JSON.parse(storage.getItem('code-remote-oidc-pending')!);
    expect(url.searchParams.get('code_challenge')).toBe(await codeChallenge(pending.verifier));
    expect(pending.verifier.length).toBeGreaterThanOrEqual(43);
  });

  it('exchanges the code with the verifier and returns the ID token', async () => {
    const storage = new MemoryStorage();
    const now = 1_800_000_000;
    const { url, requests } = await startAndReturn(storage, (nonce) => ({ nonce, exp: now + 300, aud: 'code-remote' }));
    const callback = new URLSearchParams({ code: 'abc', state: url.searchParams.get('state')! });
    const result = await completeAuthorization(callback, { storage: storage, now: now * 1000 });
    expect(result.expiresIn).toBe(300);
    expect(result.from).toBe('/runs/1');
    expect(decodeJwtClaims(result.idToken)?.aud).toBe('code-remote');
    const tokenRequest = requests.find((r) => r.url === discovery.token_endpoint)!;
    expect(tokenRequest.body?.get('grant_type')).toBe('authorization_code');
    expect(tokenRequest.body?.get('code')).toBe('abc');
    expect(tokenRequest.body?.get('code_verifier')).toBeTruthy();
    // The pending request is used once.
    await expect(completeAuthorization(callback, { storage: storage })).rejects.toThrow(/not started here/);
  });

  it('refuses a callback whose state does not match', async () => {
    const storage = new MemoryStorage();
    await startAndReturn(storage, (nonce) => ({ nonce, exp: 9_999_999_999 }));
    const callback = new URLSearchParams({ code: 'abc', state: 'forged' });
    await expect(completeAuthorization(callback, { storage: storage })).rejects.toThrow(/state mismatch/);
  });

  it('refuses an ID token minted for another sign-in', async () => {
    const storage = new MemoryStorage();
    const { url } = await startAndReturn(storage, () => ({ nonce: 'someone else', exp: 9_999_999_999 }));
    const callback = new URLSearchParams({ code: 'abc', state: url.searchParams.get('state')! });
    await expect(completeAuthorization(callback, { storage: storage })).rejects.toBeInstanceOf(OidcError);
  });

  it('reports the provider’s own refusal', async () => {
    const storage = new MemoryStorage();
    await startAndReturn(storage, () => ({}));
    const callback = new URLSearchParams({ error: 'access_denied', error_description: 'the user said no' });
    await expect(completeAuthorization(callback, { storage: storage })).rejects.toThrow(/the user said no/);
  });
});
