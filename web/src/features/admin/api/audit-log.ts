/** GET /admin/audit: security events, newest first. */
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { zAuditEntry } from '@/lib/api/generated/zod.gen';

export const auditEntrySchema = zAuditEntry;
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const AUDIT_PAGE_SIZE = 100;

export function auditLog() {
  return apiRequest(`/admin/audit?limit=${AUDIT_PAGE_SIZE}`, z.array(auditEntrySchema));
}

export function useAuditLog() {
  return useQuery({ queryKey: ['admin', 'audit'], queryFn: auditLog });
}
