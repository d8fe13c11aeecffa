/** Creates a key and shows its secret once, with a copy button. */
import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { ApiError } from '@/lib/api-client';
import { useCreateKey } from '../api/create-key';

function CreatedSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="notice notice-warn key-secret" role="status">
      <p>
        <strong>Copy this key now.</strong> It is shown only once; the server keeps only a hash of it.
      </p>
      <div className="key-secret-row">
        <code data-testid="new-key-secret">{secret}</code>
        <button type="button" className="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted small">
        Use it as <code>Authorization: Bearer &lt;key&gt;</code>.{' '}
        <button type="button" className="link-button" onClick={onDone}>
          I have stored it
        </button>
      </p>
    </div>
  );
}

export function NewKeyForm() {
  const create = useCreateKey();
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);

  const serverField = create.error instanceof ApiError ? create.error.field : null;
  const fieldMessage = (field: string) =>
    serverField === field && create.error instanceof ApiError ? create.error.message : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') {
      setNameError('Give the key a name, e.g. the script that will use it.');
      return;
    }
    setNameError(null);
    const expires = days.trim() === '' ? undefined : Number(days);
    create.mutate(
      { name: name.trim(), ...(expires !== undefined ? { expires_in_days: expires } : {}) },
      { onSuccess: () => setName('') },
    );
  };

  if (create.data) return <CreatedSecret secret={create.data.key} onDone={() => create.reset()} />;

  const nameMessage = nameError ?? fieldMessage('name');
  const daysMessage = fieldMessage('expires_in_days');
  return (
    <form className="key-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="key-name">Name</label>
        <input
          id="key-name"
          value={name}
          maxLength={100}
          aria-invalid={nameMessage ? true : undefined}
          aria-describedby={nameMessage ? 'key-name-error' : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        {nameMessage && (
          <span id="key-name-error" className="field-error" role="alert">
            {nameMessage}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor="key-days">Expires after (days, optional)</label>
        <input
          id="key-days"
          inputMode="numeric"
          value={days}
          aria-invalid={daysMessage ? true : undefined}
          aria-describedby={daysMessage ? 'key-days-error' : undefined}
          onChange={(event) => setDays(event.target.value)}
        />
        {daysMessage && (
          <span id="key-days-error" className="field-error" role="alert">
            {daysMessage}
          </span>
        )}
      </div>
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create key'}
      </button>
      {create.isError && !serverField && <ErrorNotice error={create.error} title="Could not create the key" />}
    </form>
  );
}
