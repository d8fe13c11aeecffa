import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Execution } from '@/lib/protocol';
import { aSummary, anExecution } from '@/testing/fixtures';
import { executionQueryKey } from '../api/get-execution';
import { useLiveOutput } from '../stores/live-output';
import { applyBatch } from './useJobStream';

const running: Execution = anExecution({ status: 'running' });

describe('applying a batch of events', () => {
  beforeEach(() => useLiveOutput.setState({ jobs: {} }));

  it('merges the light finished summary and fetches the whole execution once', () => {
    const client = new QueryClient();
    client.setQueryData(executionQueryKey('j'), running);
    applyBatch(client, 'j', [
      { type: 'output', job_id: 'j', seq: 1, stream: 'stdout', data: 'hi\n' },
      {
        type: 'finished',
        job_id: 'j',
        seq: 2,
        execution: aSummary({ status: 'succeeded', exit_code: 0 }),
      },
    ]);
    const cached = client.getQueryData<Execution>(executionQueryKey('j'));
    // The summary has no code or output: what the cache had is kept, the result is added.
    expect(cached?.code).toBe('print("hi")');
    expect(cached?.status).toBe('succeeded');
    expect(cached?.exit_code).toBe(0);
    expect(client.getQueryState(executionQueryKey('j'))?.isInvalidated).toBe(true);
    expect(useLiveOutput.getState().jobs.j?.segments).toEqual([{ kind: 'stdout', text: 'hi\n' }]);
  });
});
