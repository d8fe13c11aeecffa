/** Change the password of the signed-in account. */
import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { ApiError } from '@/lib/api-client';
import { useChangePassword } from '../api/change-password';
import { MIN_PASSWORD_CHARS } from '../utils/form-errors';

export function ChangePasswordForm() {
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const apiError = change.error instanceof ApiError ? change.error : null;
  const currentError = apiError?.status === 401 ? apiError.message : null;
  const newError = localError ?? (apiError?.field === 'new_password' || apiError?.field === 'password' ? apiError.message : null);
  const otherError = change.isError && !currentError && !newError ? change.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ([...next].length < MIN_PASSWORD_CHARS) {
      setLocalError(`Use at least ${MIN_PASSWORD_CHARS} characters.`);
      return;
    }
    setLocalError(null);
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
        },
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form className="key-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            value={current}
            aria-invalid={currentError ? true : undefined}
            aria-describedby={currentError ? 'current-password-error' : undefined}
            onChange={(event) => setCurrent(event.target.value)}
          />
          {currentError && (
            <span id="current-password-error" className="field-error" role="alert">
              {currentError}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="new-password">New password</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            value={next}
            aria-invalid={newError ? true : undefined}
            aria-describedby={newError ? 'new-password-error' : undefined}
            onChange={(event) => setNext(event.target.value)}
          />
          {newError && (
            <span id="new-password-error" className="field-error" role="alert">
              {newError}
            </span>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </form>
      {change.isSuccess && (
        <p className="notice notice-info" role="status">
          Password changed. Other devices signed in with the old password are signed out.
        </p>
      )}
      <ErrorNotice error={otherError} title="Could not change the password" />
    </section>
  );
}
