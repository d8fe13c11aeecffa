/** GET /runtime: the Python version, packages and limits programs run with. */
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { runtimeSchema } from '@/lib/protocol';

export function useRuntime() {
  return useQuery({
    queryKey: ['runtime'],
    queryFn: () => apiRequest('/runtime', runtimeSchema),
    // Fixed while the server runs.
    staleTime: Infinity,
  });
}
