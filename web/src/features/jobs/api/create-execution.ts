/** POST /executions: queue a run. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import type { CreateExecution } from '@/lib/api/generated';
import { type Execution, executionSchema } from '@/lib/protocol';
import { executionQueryKey } from './get-execution';
import { executionsListKey } from './list-executions';

/** The request body: code, stdin, limits, and `interactive` to keep stdin open while it runs. */
export type CreateExecutionInput = CreateExecution;

export function createExecution(input: CreateExecutionInput): Promise<Execution> {
  return apiRequest('/executions', executionSchema, { body: input });
}

export function useCreateExecution() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createExecution,
    onSuccess: (execution) => {
      queryClient.setQueryData(executionQueryKey(execution.id), execution);
      void queryClient.invalidateQueries({ queryKey: executionsListKey });
    },
  });
}
