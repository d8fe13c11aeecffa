/** GET /executions/{id}: one run, with its code, input and result. */
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { type Execution, executionSchema, isFinished } from '@/lib/protocol';

const UNFINISHED_POLL_MS = 4000;

export const executionQueryKey = (id: string) => ['executions', 'one', id] as const;

export function getExecution(id: string): Promise<Execution> {
  return apiRequest(`/executions/${encodeURIComponent(id)}`, executionSchema);
}

export function useExecution(id: string | undefined) {
  return useQuery({
    queryKey: executionQueryKey(id ?? ''),
    queryFn: () => getExecution(id!),
    enabled: Boolean(id),
    // A safety net for when the WebSocket is down: unfinished runs are polled until they end.
    refetchInterval: (query) => (query.state.data && !isFinished(query.state.data.status) ? UNFINISHED_POLL_MS : false),
  });
}
