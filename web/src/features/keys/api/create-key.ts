/** POST /keys: create an API key; the answer holds the secret, shown once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { createdKeySchema, keysQueryKey } from './keys';

export interface CreateKeyInput {
  name: string;
  expires_in_days?: number;
}

export function createKey(input: CreateKeyInput) {
  return apiRequest('/keys', createdKeySchema, { body: input });
}

export function useCreateKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createKey,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keysQueryKey }),
  });
}
