/** Splits an API error into the message for one field and the message for the whole form. */
import { ApiError } from '@/lib/api-client';

export type AuthField = 'username' | 'password' | 'email';
const FIELDS: readonly string[] = ['username', 'password', 'email'];
/** The server's rule (crates/auth); checked here too so the answer is instant. */
export const MIN_PASSWORD_CHARS = 10;

export function fieldError(error: unknown): { field: AuthField; message: string } | null {
  if (error instanceof ApiError && error.field && FIELDS.includes(error.field)) {
    return { field: error.field as AuthField, message: error.message };
  }
  return null;
}

/** Checks done before asking the server, so obvious mistakes answer at once. */
export function validateCredentials(input: { username: string; password: string }, registering: boolean) {
  const errors: Partial<Record<AuthField, string>> = {};
  if (input.username.trim() === '') errors.username = 'Enter a username.';
  if (input.password === '') errors.password = 'Enter a password.';
  else if (registering && [...input.password].length < MIN_PASSWORD_CHARS)
    errors.password = `Use at least ${MIN_PASSWORD_CHARS} characters.`;
  return errors;
}
