/** DELETE /keys/{id}: revoke an API key; it stops working at once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { keysQueryKey } from './keys';

export function revokeKey(id: string) {
  return apiRequest(`/keys/${encodeURIComponent(id)}`, z.unknown(), { method: 'DELETE' });
}

export function useRevokeKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeKey,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keysQueryKey }),
  });
}
