/**
 * Links the Tests panel to the rest of the workspace: "Run all tests" sends the editor's code
 * with the cases, the open run's results (live while it runs, stored once it has finished) go
 * back to the panel, and opening a saved run that had tests restores them.
 */
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { parseTimeLimit, useEditorSession } from '@/features/editor/stores/editor-session';
import { useCreateExecution } from '@/features/jobs/api/create-execution';
import { useLiveOutput } from '@/features/jobs/stores/live-output';
import { TestsPanel } from '@/features/tests/components/TestsPanel';
import { toRequest, useTestCases } from '@/features/tests/stores/test-cases';
import { type Execution, isFinished } from '@/lib/protocol';

export function TestsSection({ opened }: { opened: Execution | undefined }) {
  const navigate = useNavigate();
  const createRun = useCreateExecution();
  const { code, timeLimit, markLoaded: markCodeLoaded } = useEditorSession();
  const { cases, exact, loadRun, markLoaded } = useTestCases();
  const live = useLiveOutput((state) => (opened ? state.jobs[opened.id]?.tests : undefined));

  const savedCases = opened?.test_cases ?? [];
  useEffect(() => {
    if (opened && savedCases.length > 0) loadRun(opened.id, savedCases, opened.compare === 'exact');
    // Only a different run should refill the cases, not every update of the same run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened?.id, savedCases.length]);

  const isTestRun = savedCases.length > 0;
  const stored = opened?.tests ?? [];
  const results = isTestRun
    ? savedCases.map((_, index) => stored[index] ?? live?.[index])
    : [];

  const runAll = () => {
    const limit = parseTimeLimit(timeLimit);
    createRun.mutate(
      {
        code,
        tests: toRequest(cases),
        ...(exact ? { compare: 'exact' as const } : {}),
        ...(limit.ok && limit.ms ? { limits: { time_limit_ms: limit.ms } } : {}),
      },
      {
        onSuccess: (created) => {
          markCodeLoaded(created.id);
          markLoaded(created.id);
          void navigate(`/runs/${created.id}`);
        },
      },
    );
  };

  return (
    <>
      <TestsPanel
        results={results}
        verdict={isTestRun && opened && isFinished(opened.status) ? (opened.verdict ?? null) : null}
        running={Boolean(opened && isTestRun && !isFinished(opened.status))}
        pending={createRun.isPending}
        onRunAll={runAll}
      />
      <ErrorNotice error={createRun.error} title="Could not run the tests" />
    </>
  );
}
