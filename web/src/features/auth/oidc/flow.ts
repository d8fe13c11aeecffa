/**
 * Sign-in through an OpenID Connect provider: the authorization code flow with PKCE, done by
 * the browser as a public client. The ID token it obtains is what the server verifies (its
 * audience is the client id the server trusts).
 *
 * The provider must list `<this origin>/auth/callback` as a redirect URI and allow CORS on its
 * discovery and token endpoints (providers do for public clients).
 */
import { z } from 'zod';
import type { OidcProvider } from '../api/auth-config';
import { codeChallenge, decodeJwtClaims, randomString } from './pkce';

const PENDING_KEY = 'code-remote-oidc-pending';
export const CALLBACK_PATH = '/auth/callback';

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
});

const tokenResponseSchema = z.object({
  id_token: z.string().min(1),
  expires_in: z.number().optional(),
});

const pendingSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  tokenEndpoint: z.string(),
  redirectUri: z.string(),
  verifier: z.string(),
  state: z.string(),
  nonce: z.string(),
  from: z.string(),
});
type Pending = z.infer<typeof pendingSchema>;

export class OidcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OidcError';
  }
}

/** A human name for a provider: its host. */
export function providerName(provider: OidcProvider): string {
  try {
    return new URL(provider.issuer).host;
  } catch {
    return provider.issuer;
  }
}

async function discover(issuer: string) {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch {
    throw new OidcError(`Cannot reach the sign-in provider at ${issuer}.`);
  }
  const parsed = discoverySchema.safeParse(await response.json().catch(() => null));
  if (!response.ok || !parsed.success) throw new OidcError(`The sign-in provider at ${issuer} sent no usable configuration.`);
  return parsed.data;
}

/** Builds the authorization request and remembers what the callback needs. */
export async function buildAuthorizationRequest(
  provider: OidcProvider,
  options: { origin: string; from: string; storage: Storage },
): Promise<string> {
  const discovery = await discover(provider.issuer);
  const pending: Pending = {
    issuer: provider.issuer,
    clientId: provider.client_id,
    tokenEndpoint: discovery.token_endpoint,
    redirectUri: `${options.origin}${CALLBACK_PATH}`,
    verifier: randomString(64),
    state: randomString(32),
    nonce: randomString(32),
    from: options.from,
  };
  options.storage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: pending.clientId,
    redirect_uri: pending.redirectUri,
    scope: 'openid profile email',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

export interface OidcSignIn {
  idToken: string;
  /** Seconds until the ID token expires. */
  expiresIn: number;
  /** Where the person was going before signing in. */
  from: string;
}

/** Handles the provider's redirect back: checks state, exchanges the code, checks the nonce. */
export async function completeAuthorization(
  params: URLSearchParams,
  options: { storage: Storage; now?: number },
): Promise<OidcSignIn> {
  const raw = options.storage.getItem(PENDING_KEY);
  options.storage.removeItem(PENDING_KEY);
  const providerError = params.get('error');
  if (providerError) {
    throw new OidcError(`The sign-in provider refused: ${params.get('error_description') ?? providerError}.`);
  }
  const pending = raw ? pendingSchema.safeParse(JSON.parse(raw)) : null;
  if (!pending?.success) throw new OidcError('This sign-in was not started here (or was already used). Please start again.');
  const { data } = pending;
  const code = params.get('code');
  if (!code || params.get('state') !== data.state) {
    throw new OidcError('The sign-in answer does not match the request (state mismatch). Please start again.');
  }

  let response: Response;
  try {
    response = await fetch(data.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: data.redirectUri,
        client_id: data.clientId,
        code_verifier: data.verifier,
      }).toString(),
    });
  } catch {
    throw new OidcError('Cannot reach the sign-in provider to finish signing in.');
  }
  const tokens = tokenResponseSchema.safeParse(await response.json().catch(() => null));
  if (!response.ok || !tokens.success) throw new OidcError('The sign-in provider did not issue an ID token.');

  const claims = decodeJwtClaims(tokens.data.id_token);
  if (!claims || claims.nonce !== data.nonce) throw new OidcError('The ID token is not for this sign-in (nonce mismatch).');
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const exp = typeof claims.exp === 'number' ? claims.exp : now + (tokens.data.expires_in ?? 0);
  if (exp <= now) throw new OidcError('The ID token has already expired.');
  return { idToken: tokens.data.id_token, expiresIn: exp - now, from: data.from };
}
