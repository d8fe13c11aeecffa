/** Accounts as administrators see them (`/admin/users`). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { zUserView } from '@/lib/api/generated/zod.gen';

export const adminUserSchema = zUserView;
export type AdminUser = z.infer<typeof adminUserSchema>;

const usersKey = ['admin', 'users'] as const;
export const ADMIN_PAGE_SIZE = 200;

export function listUsers() {
  return apiRequest(`/admin/users?limit=${ADMIN_PAGE_SIZE}`, z.array(adminUserSchema));
}

export function useUsers() {
  return useQuery({ queryKey: usersKey, queryFn: listUsers });
}

export interface UserUpdate {
  id: string;
  role?: 'user' | 'admin';
  disabled?: boolean;
}

export function updateUser({ id, ...change }: UserUpdate) {
  return apiRequest(`/admin/users/${encodeURIComponent(id)}`, adminUserSchema, { method: 'PATCH', body: change });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}
