/** GET /auth/config: how people may sign in here (open registration, OpenID Connect issuers). */
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const authConfigSchema = z.object({
  registration_open: z.boolean(),
  oidc_providers: z.array(z.object({ issuer: z.string(), client_id: z.string() })).default([]),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;
export type OidcProvider = AuthConfig['oidc_providers'][number];

export function getAuthConfig() {
  return apiRequest('/auth/config', authConfigSchema, { auth: false });
}

export function useAuthConfig() {
  return useQuery({ queryKey: ['auth', 'config'], queryFn: getAuthConfig, staleTime: Infinity });
}
