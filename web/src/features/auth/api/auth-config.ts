/** GET /auth/config: how people may sign in here (open registration, OpenID Connect issuers). */
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { zAuthSettings } from '@/lib/api/generated/zod.gen';

export const authConfigSchema = zAuthSettings;
export type AuthConfig = z.infer<typeof authConfigSchema>;
export type OidcProvider = AuthConfig['oidc_providers'][number];

export function getAuthConfig() {
  return apiRequest('/auth/config', authConfigSchema, { auth: false });
}

export function useAuthConfig() {
  return useQuery({ queryKey: ['auth', 'config'], queryFn: getAuthConfig, staleTime: Infinity });
}
