/** GET /keys: the caller's API keys, without their secrets. */
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { keySchema, keysQueryKey } from './keys';

export function listKeys() {
  return apiRequest('/keys', z.array(keySchema));
}

export function useKeys() {
  return useQuery({ queryKey: keysQueryKey, queryFn: listKeys });
}
