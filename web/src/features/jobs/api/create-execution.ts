/** POST /executions: queue a run. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { type Compare, type Execution, executionSchema, type Limits, type TestCase } from '@/lib/protocol';
import { executionQueryKey } from './get-execution';
import { executionsListKey } from './list-executions';

export interface CreateExecutionInput {
  code: string;
  stdin?: string;
  limits?: Limits;
  /** Keep stdin open for lines sent while the program runs. */
  interactive?: boolean;
  /** Run once per test case and judge the output (not with stdin or interactive). */
  tests?: TestCase[];
  compare?: Compare;
}

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
