/**
 * The main screen: history, the editor with its run options, and the run's output and the
 * analysis. It composes the features (which never import each other) and owns the few links
 * between them: the editor's code goes to a run or an analysis, an analysis's hotspots come
 * back to the editor, and opening a saved run fills the editor.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { Spinner } from '@/components/ui/Spinner';
import { type AnalysisMode, useAnalyze } from '@/features/analysis/api/create-analysis';
import { AnalysisPanel } from '@/features/analysis/components/AnalysisPanel';
import { hotspotHighlights, syntaxErrorPosition } from '@/features/analysis/utils/hotspots';
import { CodeEditor, type EditorMarker } from '@/features/editor/components/CodeEditor';
import { parseTimeLimit, useEditorSession } from '@/features/editor/stores/editor-session';
import { useCancelExecution } from '@/features/jobs/api/cancel-execution';
import { useCreateExecution } from '@/features/jobs/api/create-execution';
import { useExecution } from '@/features/jobs/api/get-execution';
import { HistoryList } from '@/features/jobs/components/HistoryList';
import { OutputPanel } from '@/features/jobs/components/OutputPanel';
import { useJobStream } from '@/features/jobs/hooks/useJobStream';
import { EnvironmentPanel } from '@/features/runtime/components/EnvironmentPanel';
import { ApiError } from '@/lib/api-client';
import { statusWords } from '@/lib/format';
import { isFinished } from '@/lib/protocol';
import { RunToolbar } from './RunToolbar';
import { TestsSection } from './TestsSection';
import { useTheme } from './useTheme';

export function WorkspacePage() {
  const { runId } = useParams();
  const navigate = useNavigate();
  const theme = useTheme();
  const { code, stdin, timeLimit, interactive, setCode, setStdin, setTimeLimit, setInteractive, loadRun, markLoaded } =
    useEditorSession();
  const createRun = useCreateExecution();
  const cancelRun = useCancelExecution();
  const execution = useExecution(runId);
  const analyze = useAnalyze();
  const [mode, setMode] = useState<AnalysisMode>('static');
  const [timeLimitError, setTimeLimitError] = useState<string | null>(null);
  const [reveal, setReveal] = useState<{ line: number } | null>(null);
  useJobStream(execution.data);

  const opened = execution.data;
  useEffect(() => {
    if (opened && typeof opened.code === 'string' && loadRun({ id: opened.id, code: opened.code, stdin: opened.stdin ?? '' })) {
      analyze.reset();
    }
    // Only a different run should refill the editor, not every update of the same run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened?.id]);

  const running = Boolean(opened && !isFinished(opened.status));
  // The server's verdict on the limits belongs beside the time limit field.
  const limitsError =
    createRun.error instanceof ApiError && createRun.error.field === 'limits' ? createRun.error.message : null;

  useEffect(() => {
    document.title = opened ? `${statusWords(opened.status)} · Run · Code Remote` : 'Code Remote';
  }, [opened]);

  const startRun = useCallback(() => {
    if (createRun.isPending) return;
    const limit = parseTimeLimit(timeLimit);
    if (!limit.ok) {
      setTimeLimitError(limit.error);
      return;
    }
    setTimeLimitError(null);
    createRun.mutate(
      {
        code,
        ...(stdin ? { stdin } : {}),
        ...(limit.ms ? { limits: { time_limit_ms: limit.ms } } : {}),
        interactive,
      },
      {
        onSuccess: (created) => {
          markLoaded(created.id);
          void navigate(`/runs/${created.id}`);
        },
      },
    );
  }, [code, stdin, timeLimit, interactive, createRun, markLoaded, navigate]);

  const stopRun = () => {
    if (opened && running) cancelRun.mutate(opened.id);
  };

  const startAnalysis = () => analyze.mutate({ code, mode });
  const showLine = useCallback((line: number) => setReveal({ line }), []);

  // Ctrl/Cmd+Enter runs from anywhere on the page (Monaco handles it inside the editor).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
      if ((event.target as Element | null)?.closest?.('.monaco-host')) return;
      event.preventDefault();
      startRun();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startRun]);

  const highlights = useMemo(() => hotspotHighlights(analyze.data), [analyze.data]);
  const markers = useMemo<EditorMarker[]>(() => {
    const error = analyze.error;
    if (!(error instanceof ApiError) || error.code !== 'syntax_error') return [];
    const position = syntaxErrorPosition(error.message);
    return position ? [{ ...position, message: error.message }] : [];
  }, [analyze.error]);

  return (
    <main className="workspace">
      <aside className="sidebar">
        <HistoryList />
        <EnvironmentPanel />
      </aside>
      <section className="editor-column" aria-label="Program">
        <RunToolbar
          running={running}
          runPending={createRun.isPending}
          stopPending={cancelRun.isPending}
          analyzePending={analyze.isPending}
          mode={mode}
          timeLimit={timeLimit}
          timeLimitError={timeLimitError ?? limitsError}
          onRun={startRun}
          onStop={stopRun}
          onAnalyze={startAnalysis}
          onModeChange={setMode}
          onTimeLimitChange={setTimeLimit}
        />
        <ErrorNotice error={limitsError ? null : createRun.error} title="Could not start the run" />
        <ErrorNotice error={cancelRun.error} title="Could not stop the run" />
        <div id="editor" className="editor-frame">
          <CodeEditor
            value={code}
            onChange={setCode}
            onRun={startRun}
            highlights={highlights}
            markers={markers}
            theme={theme}
            reveal={reveal}
            label="Python code editor. Press Control+Enter to run."
          />
        </div>
        <p className="editor-hint muted small">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs · <kbd>Ctrl</kbd>+<kbd>M</kbd> makes <kbd>Tab</kbd> move the focus
          out of the editor
        </p>
        <div className="field stdin-field">
          <label htmlFor="stdin">Input given to the program at start (stdin)</label>
          <textarea
            id="stdin"
            rows={3}
            spellCheck={false}
            placeholder="Optional. Lines typed here are read by input() before anything typed while it runs."
            value={stdin}
            onChange={(event) => setStdin(event.target.value)}
          />
          <label className="checkbox">
            <input type="checkbox" checked={interactive} onChange={(event) => setInteractive(event.target.checked)} />
            <span>
              Keep the input open while the program runs, to answer <code>input()</code> live
            </span>
          </label>
        </div>
        <TestsSection opened={opened} />
      </section>
      <section className="results-column" aria-label="Results">
        {!runId && (
          <section className="panel output-panel" aria-labelledby="output-title">
            <header className="panel-header">
              <h2 id="output-title">Output</h2>
            </header>
            <p className="muted">
              Press <kbd>Run</kbd> or <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to run the program. Its output appears here as
              it is printed.
            </p>
          </section>
        )}
        {runId && execution.isPending && <Spinner label="Loading the run" />}
        {runId && execution.isError && <ErrorNotice error={execution.error} title="Could not load this run" />}
        {opened && <OutputPanel execution={opened} />}
        <AnalysisPanel
          analysis={analyze.data}
          pending={analyze.isPending}
          error={analyze.error}
          onShowLine={showLine}
        />
      </section>
    </main>
  );
}
