/**
 * The one HTTP client of the app: adds the bearer token, parses every response body through a
 * zod schema, and turns every failure into an `ApiError` the UI can explain to a person.
 */
import type { z } from 'zod';
import { errorBodySchema } from './protocol';
import { freshToken } from './auth-tokens';
import { useSessionStore } from './session';

export const API_BASE = '/api/v1';

/** A failed API call, with what the UI needs to explain it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The request field a validation error is about, when the server names one. */
  readonly field: string | null;
  /** Seconds to wait before retrying (from `Retry-After` on 429 and 503). */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    field?: string | null;
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }
}

/** Reads `Retry-After` as seconds (it may also be an HTTP date). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line below.
  }
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    return new ApiError({ status: response.status, ...parsed.data.error, retryAfterSeconds });
  }
  return new ApiError({
    status: response.status,
    code: `http_${response.status}`,
    message: `The server answered ${response.status} ${response.statusText}`.trim() + '.',
    retryAfterSeconds,
  });
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Sign the request with the session token (default true). */
  auth?: boolean;
  /** End the session on a 401 (default true; false where 401 means a wrong password). */
  signOutOnUnauthorized?: boolean;
  /** Sign with this token instead of the session's (e.g. one just obtained elsewhere). */
  token?: string;
  signal?: AbortSignal;
}

/** Calls the API and returns the body parsed by `schema`; throws `ApiError` on any failure. */
export async function apiRequest<S extends z.ZodType>(
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.infer<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.auth !== false) {
    const token = options.token ?? (await freshToken());
    if (!token) {
      throw new ApiError({ status: 401, code: 'unauthorized', message: 'Please sign in.' });
    }
    headers.Authorization = `Bearer ${token}`;
  }

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      message: 'Cannot reach the server. Check your connection and try again.',
    });
  }

  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (error.status === 401 && options.auth !== false && options.signOutOnUnauthorized !== false) {
      useSessionStore.getState().signOut('Your session ended. Please sign in again.');
    }
    throw error;
  }

  const body: unknown = await response.json().catch(() => null);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError({
      status: response.status,
      code: 'invalid_response',
      message: 'The server sent a response this page does not understand.',
    });
  }
  return parsed.data;
}

/** Fetches a binary body (an artifact) with the session token; throws `ApiError` on failure. */
export async function apiBlob(path: string): Promise<Blob> {
  const token = await freshToken();
  if (!token) throw new ApiError({ status: 401, code: 'unauthorized', message: 'Please sign in.' });
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      message: 'Cannot reach the server. Check your connection and try again.',
    });
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response.blob();
}
