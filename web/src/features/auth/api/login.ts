/** POST /auth/login: exchange a username and password for a session. */
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { type AuthResponse, authResponseSchema } from '@/lib/protocol';
import { useSessionStore } from '@/lib/session';

export interface LoginInput {
  username: string;
  password: string;
}

export function login(input: LoginInput): Promise<AuthResponse> {
  return apiRequest('/auth/login', authResponseSchema, { body: input, auth: false });
}

export function useLogin() {
  return useMutation({
    mutationFn: login,
    onSuccess: (auth) => useSessionStore.getState().signIn(auth),
  });
}
