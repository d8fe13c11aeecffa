/** The sign-in and registration form: labelled fields, errors beside the field they are about. */
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { useSessionStore } from '@/lib/session';
import { useAuthConfig } from '../api/auth-config';
import { useLogin } from '../api/login';
import { useRegister } from '../api/register';
import { type AuthField, fieldError, MIN_PASSWORD_CHARS, validateCredentials } from '../utils/form-errors';
import { OidcButtons } from './OidcButtons';

interface FieldProps {
  id: AuthField;
  label: string;
  type: string;
  autoComplete: string;
  value: string;
  error: string | undefined;
  hint?: string;
  onChange: (value: string) => void;
}

function Field({ id, label, type, autoComplete, value, error, hint, onChange }: FieldProps) {
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        type={type}
        autoComplete={autoComplete}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint && !error && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export function AuthForm({ mode }: { mode: 'signin' | 'register' }) {
  const registering = mode === 'register';
  const navigate = useNavigate();
  const location = useLocation();
  const endedBecause = useSessionStore((state) => state.endedBecause);
  const login = useLogin();
  const register = useRegister();
  const config = useAuthConfig();
  const registrationOpen = config.data?.registration_open ?? true;
  const mutation = registering ? register : login;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [localErrors, setLocalErrors] = useState<Partial<Record<AuthField, string>>>({});

  const serverField = fieldError(mutation.error);
  const errors = { ...localErrors, ...(serverField ? { [serverField.field]: serverField.message } : {}) };
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateCredentials({ username, password }, registering);
    setLocalErrors(found);
    if (Object.keys(found).length > 0) return;
    const onSuccess = () => void navigate(from, { replace: true });
    if (registering) {
      register.mutate({ username: username.trim(), password, ...(email.trim() ? { email: email.trim() } : {}) }, { onSuccess });
    } else {
      login.mutate({ username: username.trim(), password }, { onSuccess });
    }
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} noValidate aria-labelledby="auth-title">
        <p className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Code Remote
        </p>
        <h1 id="auth-title">{registering ? 'Create an account' : 'Sign in'}</h1>
        <p className="muted">Run Python in a sandbox and see how its cost grows.</p>
        {!registering && endedBecause && <p className="notice notice-info">{endedBecause}</p>}
        {!registering && <OidcButtons providers={config.data?.oidc_providers ?? []} />}
        {registering && !registrationOpen && (
          <p className="notice notice-info">
            This server does not take new registrations. Ask an administrator for an account.
          </p>
        )}
        {mutation.isError && !serverField && <ErrorNotice error={mutation.error} />}
        <Field
          id="username"
          label="Username"
          type="text"
          autoComplete="username"
          value={username}
          error={errors.username}
          onChange={setUsername}
        />
        {registering && (
          <Field
            id="email"
            label="Email (optional)"
            type="email"
            autoComplete="email"
            value={email}
            error={errors.email}
            onChange={setEmail}
          />
        )}
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete={registering ? 'new-password' : 'current-password'}
          value={password}
          error={errors.password}
          hint={registering ? `At least ${MIN_PASSWORD_CHARS} characters.` : undefined}
          onChange={setPassword}
        />
        <button type="submit" className="button button-primary button-wide" disabled={mutation.isPending}>
          {mutation.isPending ? 'Please wait…' : registering ? 'Create account' : 'Sign in'}
        </button>
        <p className="auth-switch">
          {registering ? (
            <>
              Already have an account? <Link to="/signin">Sign in</Link>
            </>
          ) : (
            <>
              {registrationOpen ? (
                <>
                  New here? <Link to="/register">Create an account</Link>
                </>
              ) : (
                'Accounts are created by an administrator.'
              )}
            </>
          )}
        </p>
      </form>
    </main>
  );
}
