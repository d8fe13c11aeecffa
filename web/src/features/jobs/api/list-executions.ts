/** GET /executions?limit=&cursor=: the user's runs, newest first, a page at a time. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { type ExecutionPage, executionPageSchema } from '@/lib/protocol';

export const executionsListKey = ['executions', 'list'] as const;
export const HISTORY_PAGE_SIZE = 20;

export function listExecutions(cursor: string | null, limit = HISTORY_PAGE_SIZE): Promise<ExecutionPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return apiRequest(`/executions?${params.toString()}`, executionPageSchema);
}

export function useExecutionHistory() {
  return useInfiniteQuery({
    queryKey: executionsListKey,
    queryFn: ({ pageParam }) => listExecutions(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}
