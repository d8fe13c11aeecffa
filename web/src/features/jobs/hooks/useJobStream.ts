/**
 * Follows one job live over the WebSocket while it is unfinished: streams its output into the
 * live-output store and, when it finishes, merges the final summary into the cached execution
 * and fetches the whole execution once (the `finished` event carries no output).
 *
 * Events are applied in small batches (at most one store update per FLUSH_MS), so a program
 * that prints thousands of chunks a second costs a few renders, not thousands.
 */
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { type Execution, isFinished, type JobEvent } from '@/lib/protocol';
import { useJobSocket } from '@/lib/socket';
import { executionQueryKey } from '../api/get-execution';
import { executionsListKey } from '../api/list-executions';
import { useLiveOutput } from '../stores/live-output';

const FLUSH_MS = 80;

export function applyBatch(queryClient: QueryClient, jobId: string, batch: JobEvent[]) {
  if (batch.length === 0) return;
  useLiveOutput.getState().applyMany(jobId, batch);
  const finished = batch.find((event) => event.type === 'finished');
  if (finished) {
    queryClient.setQueryData<Execution>(executionQueryKey(jobId), (old) =>
      old ? { ...old, ...finished.execution } : old,
    );
    void queryClient.invalidateQueries({ queryKey: executionQueryKey(jobId), exact: true });
    void queryClient.invalidateQueries({ queryKey: executionsListKey });
    return;
  }
  const status = batch.findLast((event) => event.type === 'status');
  if (status) {
    queryClient.setQueryData<Execution>(executionQueryKey(jobId), (old) =>
      old && !isFinished(old.status) ? { ...old, status: status.status } : old,
    );
  }
}

export function useJobStream(execution: Execution | undefined) {
  const socket = useJobSocket();
  const queryClient = useQueryClient();
  const jobId = execution?.id;
  const finished = execution ? isFinished(execution.status) : true;

  useEffect(() => {
    if (!socket || !jobId || finished) return;
    const pending: JobEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      applyBatch(queryClient, jobId, pending.splice(0));
    };
    const afterSeq = useLiveOutput.getState().jobs[jobId]?.lastSeq ?? 0;
    const unsubscribe = socket.subscribe(
      jobId,
      (event) => {
        if (event.type === 'error') {
          useLiveOutput.getState().setError(jobId, event.message);
          return;
        }
        pending.push(event);
        timer ??= setTimeout(flush, FLUSH_MS);
      },
      afterSeq,
    );
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      flush();
    };
  }, [socket, jobId, finished, queryClient]);
}
