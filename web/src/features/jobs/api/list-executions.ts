/**
 * GET /executions?limit=&cursor=: the user's runs, newest first, a page at a time (with
 * `all=true`, an administrator sees everyone's).
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { type ExecutionPage, executionPageSchema } from '@/lib/protocol';

export const executionsListKey = ['executions', 'list'] as const;
export const HISTORY_PAGE_SIZE = 20;

export function listExecutions(cursor: string | null, all = false, limit = HISTORY_PAGE_SIZE): Promise<ExecutionPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (all) params.set('all', 'true');
  if (cursor) params.set('cursor', cursor);
  return apiRequest(`/executions?${params.toString()}`, executionPageSchema);
}

export function useExecutionHistory(all = false) {
  return useInfiniteQuery({
    queryKey: [...executionsListKey, { all }],
    queryFn: ({ pageParam }) => listExecutions(pageParam, all),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}
