import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { fieldError, validateCredentials } from './form-errors';

describe('auth form errors', () => {
  it('puts a server validation error beside its field', () => {
    const error = new ApiError({ status: 409, code: 'username_taken', message: 'That username is taken.', field: 'username' });
    expect(fieldError(error)).toEqual({ field: 'username', message: 'That username is taken.' });
  });

  it('keeps errors about unknown fields for the whole form', () => {
    expect(fieldError(new ApiError({ status: 422, code: 'x', message: 'm', field: 'captcha' }))).toBeNull();
    expect(fieldError(new Error('boom'))).toBeNull();
  });

  it('asks for both fields and a longer password when registering', () => {
    expect(validateCredentials({ username: ' ', password: '' }, false)).toEqual({
      username: 'Enter a username.',
      password: 'Enter a password.',
    });
    expect(validateCredentials({ username: 'ada', password: 'short' }, true)).toEqual({
      password: 'Use at least 10 characters.',
    });
    expect(validateCredentials({ username: 'ada', password: 'short' }, false)).toEqual({});
  });
});
