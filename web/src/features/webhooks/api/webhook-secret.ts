/** The webhook signing secret: GET (whether one exists), POST (create or rotate), DELETE. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const secretStatusSchema = z.object({
  configured: z.boolean(),
  created_at: z.string().nullish(),
});

export const createdSecretSchema = z.object({
  /** `whsec_…`, shown once. */
  secret: z.string().startsWith('whsec_'),
  created_at: z.string(),
});

export const webhookSecretKey = ['webhook-secret'] as const;

export function useWebhookSecret() {
  return useQuery({
    queryKey: webhookSecretKey,
    queryFn: () => apiRequest('/webhooks/secret', secretStatusSchema),
  });
}

export function useRotateWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest('/webhooks/secret', createdSecretSchema, { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookSecretKey }),
  });
}

export function useDeleteWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest('/webhooks/secret', z.unknown(), { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookSecretKey }),
  });
}
