/**
 * Follows one job live over the WebSocket while it is unfinished: streams its output into the
 * live-output store and, when it finishes, stores the final execution where queries find it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { isFinished, type Execution } from '@/lib/protocol';
import { useJobSocket } from '@/lib/socket';
import { executionQueryKey } from '../api/get-execution';
import { executionsListKey } from '../api/list-executions';
import { useLiveOutput } from '../stores/live-output';

export function useJobStream(execution: Execution | undefined) {
  const socket = useJobSocket();
  const queryClient = useQueryClient();
  const jobId = execution?.id;
  const finished = execution ? isFinished(execution.status) : true;

  useEffect(() => {
    if (!socket || !jobId || finished) return;
    const live = useLiveOutput.getState();
    const afterSeq = live.jobs[jobId]?.lastSeq ?? 0;
    return socket.subscribe(
      jobId,
      (event) => {
        const store = useLiveOutput.getState();
        if (event.type === 'error') {
          store.setError(jobId, event.message);
          return;
        }
        store.apply(jobId, event);
        if (event.type === 'finished') {
          queryClient.setQueryData(executionQueryKey(jobId), event.execution);
          void queryClient.invalidateQueries({ queryKey: executionsListKey });
        } else if (event.type === 'status') {
          queryClient.setQueryData<Execution>(executionQueryKey(jobId), (old) =>
            old && !isFinished(old.status) ? { ...old, status: event.status } : old,
          );
        }
      },
      afterSeq,
    );
  }, [socket, jobId, finished, queryClient]);
}
