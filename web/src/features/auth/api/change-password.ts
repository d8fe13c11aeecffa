/** POST /auth/password: change the password; every older token stops working, new ones come back. */
import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { authResponseSchema } from '@/lib/protocol';
import { useSessionStore } from '@/lib/session';

export interface ChangePasswordInput {
  current_password: string;
  new_password: string;
}

export function changePassword(input: ChangePasswordInput) {
  // A wrong current password answers 401: that must not end the session.
  return apiRequest('/auth/password', authResponseSchema, { body: input, signOutOnUnauthorized: false });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: changePassword,
    onSuccess: (auth) => useSessionStore.getState().signIn(auth),
  });
}
