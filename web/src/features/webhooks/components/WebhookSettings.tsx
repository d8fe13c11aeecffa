/**
 * The webhook signing secret: runs submitted with a `callback_url` are delivered signed with it
 * (Standard Webhooks). Created or rotated here and shown once; the list says only whether one
 * exists.
 */
import { useState } from 'react';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { Spinner } from '@/components/ui/Spinner';
import { formatDateTime } from '@/lib/format';
import { useDeleteWebhookSecret, useRotateWebhookSecret, useWebhookSecret } from '../api/webhook-secret';

export function WebhookSettings() {
  const status = useWebhookSecret();
  const rotate = useRotateWebhookSecret();
  const remove = useDeleteWebhookSecret();
  const [shown, setShown] = useState<string | null>(null);
  const configured = status.data?.configured ?? false;

  const create = () => {
    if (configured && !window.confirm('Rotate the webhook secret? Deliveries are signed with the new one at once.')) {
      return;
    }
    rotate.mutate(undefined, { onSuccess: (created) => setShown(created.secret) });
  };
  const deleteSecret = () => {
    if (window.confirm('Delete the webhook secret? Pending deliveries will fail.')) remove.mutate();
  };

  return (
    <section className="panel" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        A run submitted with a <code>callback_url</code> is sent to it when it ends, signed with this secret
        (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>).
        See the API documentation for how to verify it.
      </p>
      {status.isPending && <Spinner label="Loading the webhook secret" />}
      {status.isError && <ErrorNotice error={status.error} title="Could not load the webhook secret" />}
      {status.isSuccess && (
        <p data-testid="webhook-secret-state">
          {configured
            ? `A signing secret exists (created ${formatDateTime(status.data.created_at)}).`
            : 'No signing secret yet: callbacks are refused until you create one.'}
        </p>
      )}
      {shown && (
        <div className="notice notice-warn key-secret" role="status">
          <p>Copy this secret now: it is not shown again.</p>
          <div className="key-secret-row">
            <code data-testid="webhook-secret">{shown}</code>
          </div>
          <button type="button" className="link-button" onClick={() => setShown(null)}>
            I have stored it
          </button>
        </div>
      )}
      <div className="tests-actions">
        <button type="button" className="button" onClick={create} disabled={rotate.isPending || status.isPending}>
          {configured ? 'Rotate secret' : 'Create secret'}
        </button>
        {configured && (
          <button type="button" className="button button-danger" onClick={deleteSecret} disabled={remove.isPending}>
            Delete secret
          </button>
        )}
      </div>
      <ErrorNotice error={rotate.error ?? remove.error} title="Could not change the webhook secret" />
    </section>
  );
}
