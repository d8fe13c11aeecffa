/** POST /auth/register: create an account and sign in to it. */
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { type AuthResponse, authResponseSchema } from '@/lib/protocol';
import { useSessionStore } from '@/lib/session';

export interface RegisterInput {
  username: string;
  password: string;
  email?: string;
}

export function register(input: RegisterInput): Promise<AuthResponse> {
  return apiRequest('/auth/register', authResponseSchema, { body: input, auth: false });
}

export function useRegister() {
  return useMutation({
    mutationFn: register,
    onSuccess: (auth) => useSessionStore.getState().signIn(auth),
  });
}
