/** POST /executions/{id}/cancel: stop a queued or running job. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { executionSchema } from '@/lib/protocol';
import { executionQueryKey } from './get-execution';

// The server answers with the execution; an older server may answer with nothing useful.
const cancelResponseSchema = z.union([executionSchema, z.unknown()]);

export function cancelExecution(id: string) {
  return apiRequest(`/executions/${encodeURIComponent(id)}/cancel`, cancelResponseSchema, { body: {} });
}

export function useCancelExecution() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelExecution,
    onSuccess: (_result, id) => void queryClient.invalidateQueries({ queryKey: executionQueryKey(id) }),
  });
}
