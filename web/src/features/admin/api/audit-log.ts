/** GET /admin/audit: security events, newest first. */
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string().nullish(),
  action: z.string(),
  target: z.string().nullish(),
  ip: z.string().nullish(),
  detail: z.unknown().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const AUDIT_PAGE_SIZE = 100;

export function auditLog() {
  return apiRequest(`/admin/audit?limit=${AUDIT_PAGE_SIZE}`, z.array(auditEntrySchema));
}

export function useAuditLog() {
  return useQuery({ queryKey: ['admin', 'audit'], queryFn: auditLog });
}
