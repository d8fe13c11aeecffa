// A local OpenID Connect provider for the browser tests: discovery, JWKS, an authorization
// endpoint that consents at once, and a token endpoint that checks PKCE and signs RS256 ID
// tokens. Just enough of a real provider to drive the web app's sign-in end to end.
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

const base64Url = (buffer) => Buffer.from(buffer).toString('base64url');

export async function startMockOidc({ subject = 'oidc-user-1', username = 'oidc_person' } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = base64Url(randomBytes(8));
  const codes = new Map();
  let issuer = '';

  const sign = (claims) => {
    const header = base64Url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const payload = base64Url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
    return `${header}.${payload}.${base64Url(signature)}`;
  };

  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, issuer);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type, Accept',
      });
      return res.end();
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') {
      return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    }
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const code = base64Url(randomBytes(16));
      codes.set(code, {
        clientId: q.get('client_id'),
        redirectUri: q.get('redirect_uri'),
        challenge: q.get('code_challenge'),
        nonce: q.get('nonce'),
      });
      const back = new URL(q.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!grant || grant.challenge !== challenge || grant.clientId !== form.get('client_id') || grant.redirectUri !== form.get('redirect_uri')) {
        return json(res, 400, { error: 'invalid_grant' });
      }
      const now = Math.floor(Date.now() / 1000);
      const idToken = sign({
        iss: issuer,
        sub: subject,
        aud: grant.clientId,
        iat: now,
        nbf: now,
        exp: now + 600,
        nonce: grant.nonce,
        preferred_username: username,
        email: `${username}@example.org`,
      });
      return json(res, 200, { id_token: idToken, access_token: idToken, token_type: 'Bearer', expires_in: 600 });
    }
    json(res, 404, { error: 'not_found' });
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return { issuer, close: () => new Promise((resolve) => server.close(resolve)) };
}
