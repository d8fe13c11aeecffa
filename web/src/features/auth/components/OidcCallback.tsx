/** Where the OpenID Connect provider sends the browser back: finishes signing in. */
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiRequest } from '@/lib/api-client';
import { userSchema } from '@/lib/protocol';
import { useSessionStore } from '@/lib/session';
import { completeAuthorization } from '../oidc/flow';

export function OidcCallback() {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // The code can be exchanged once: guard against the effect running twice.
    if (started.current) return;
    started.current = true;
    const finish = async () => {
      const result = await completeAuthorization(new URLSearchParams(window.location.search), { storage: sessionStorage });
      const user = await apiRequest('/auth/me', userSchema, { token: result.idToken });
      useSessionStore.getState().signIn({
        access_token: result.idToken,
        token_type: 'Bearer',
        expires_in: result.expiresIn,
        refresh_token: null,
        user,
      });
      void navigate(result.from, { replace: true });
    };
    finish().catch((cause: unknown) => setError(cause instanceof Error ? cause.message : 'Signing in failed.'));
  }, [navigate]);

  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Signing in…</h1>
        {error ? (
          <>
            <p className="notice notice-error" role="alert">
              {error}
            </p>
            <Link to="/signin">Back to sign-in</Link>
          </>
        ) : (
          <p className="muted" role="status">
            Finishing the sign-in with your provider.
          </p>
        )}
      </div>
    </main>
  );
}
