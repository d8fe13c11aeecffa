/** API keys for programs and scripts: create (secret shown once), list and revoke. */
import { useState } from 'react';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { Spinner } from '@/components/ui/Spinner';
import { formatDateTime } from '@/lib/format';
import { useKeys } from '../api/list-keys';
import { useRevokeKey } from '../api/revoke-key';
import type { ApiKey } from '../api/keys';
import { NewKeyForm } from './NewKeyForm';

function keyState(key: ApiKey, now: number): string {
  if (key.revoked_at) return `Revoked ${formatDateTime(key.revoked_at)}`;
  if (key.expires_at && Date.parse(key.expires_at) <= now) return `Expired ${formatDateTime(key.expires_at)}`;
  return key.expires_at ? `Active until ${formatDateTime(key.expires_at)}` : 'Active, no expiry';
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const revoke = useRevokeKey();
  // A row's state is judged when it is first shown; the list is refetched after each change.
  const [now] = useState(() => Date.now());
  const usable = !apiKey.revoked_at && !(apiKey.expires_at && Date.parse(apiKey.expires_at) <= now);
  const confirmRevoke = () => {
    if (window.confirm(`Revoke the key “${apiKey.name}”? Programs using it stop working at once.`)) {
      revoke.mutate(apiKey.id);
    }
  };
  return (
    <tr data-testid="key-row" data-key-id={apiKey.id}>
      <td>
        <strong>{apiKey.name}</strong>
        <div className="muted small">
          <code>{apiKey.prefix}…</code>
        </div>
      </td>
      <td>{keyState(apiKey, now)}</td>
      <td>{formatDateTime(apiKey.created_at)}</td>
      <td>{apiKey.last_used_at ? formatDateTime(apiKey.last_used_at) : 'Never'}</td>
      <td>
        {usable && (
          <button
            type="button"
            className="button button-danger"
            onClick={confirmRevoke}
            disabled={revoke.isPending}
            aria-label={`Revoke ${apiKey.name}`}
          >
            Revoke
          </button>
        )}
        {revoke.isError && <ErrorNotice error={revoke.error} />}
      </td>
    </tr>
  );
}

export function KeysSettings() {
  const keys = useKeys();
  return (
    <>
      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <p className="muted">
          Programs and scripts can call the API with a key instead of your password. Each key works until you revoke
          it or it expires.
        </p>
        <NewKeyForm />
      </section>
      <section className="panel" aria-labelledby="keys-list-title">
        <h3 id="keys-list-title">Your keys</h3>
        {keys.isPending && <Spinner label="Loading keys" />}
        {keys.isError && <ErrorNotice error={keys.error} title="Could not load your keys" />}
        {keys.isSuccess && keys.data.length === 0 && <p className="muted">No keys yet.</p>}
        {keys.isSuccess && keys.data.length > 0 && (
          <div className="table-scroll">
            <table className="functions keys-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((key) => (
                  <KeyRow key={key.id} apiKey={key} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
