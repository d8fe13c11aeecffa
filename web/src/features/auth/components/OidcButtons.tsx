/** "Sign in with …" for each OpenID Connect provider the server trusts. */
import { useState } from 'react';
import { useLocation } from 'react-router';
import type { OidcProvider } from '../api/auth-config';
import { buildAuthorizationRequest, providerName } from '../oidc/flow';

export function OidcButtons({ providers }: { providers: OidcProvider[] }) {
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (providers.length === 0) return null;
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const start = async (provider: OidcProvider) => {
    setBusy(true);
    setError(null);
    try {
      const url = await buildAuthorizationRequest(provider, { origin: window.location.origin, from, storage: sessionStorage });
      window.location.assign(url);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : 'Could not start signing in.');
      setBusy(false);
    }
  };

  return (
    <div className="oidc-buttons">
      {providers.map((provider) => (
        <button
          key={provider.issuer}
          type="button"
          className="button button-wide"
          disabled={busy}
          onClick={() => void start(provider)}
        >
          Sign in with {providerName(provider)}
        </button>
      ))}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <p className="divider muted small">or with a Code Remote account</p>
    </div>
  );
}
