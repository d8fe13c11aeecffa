/**
 * The output of one run: stdout and stderr as they stream in (stderr set apart in colour and
 * label), what the user typed into stdin, then the outcome in words with exit code and figures.
 */
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatChars, formatKib } from '@/lib/format';
import { type Execution, type ExecutionSummary, isFinished } from '@/lib/protocol';
import { appendText, emptyJob, type LiveJob, useLiveOutput } from '../stores/live-output';
import { ArtifactList } from './ArtifactList';
import { LiveInput } from './LiveInput';
import { RunFigures } from './RunFigures';

/**
 * What to show: the live stream while we have it, else the stored result (fetched whole; the
 * `finished` event has no output). Either way only the tail of very long output is rendered.
 */
function useShownOutput(execution: Execution, live: LiveJob | undefined): LiveJob | undefined {
  const useLive = Boolean(live?.execution) || !isFinished(execution.status);
  return useMemo(() => {
    if (useLive) return live;
    let stored = emptyJob();
    stored = appendText(stored, 'stdout', execution.stdout ?? '');
    stored = appendText(stored, 'stderr', execution.stderr ?? '');
    return stored;
  }, [useLive, live, execution.stdout, execution.stderr]);
}

/** Keeps a scrolled-to-the-bottom log at the bottom as text arrives. */
function useStickToBottom(deps: unknown) {
  const ref = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [deps]);
  const onScroll = () => {
    const element = ref.current;
    if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };
  return { ref, onScroll };
}

export const OutputPanel = memo(function OutputPanel({ execution }: { execution: Execution }) {
  const live = useLiveOutput((state) => state.jobs[execution.id]);
  const result: ExecutionSummary = live?.execution ?? execution;
  const status = live?.execution
    ? live.execution.status
    : isFinished(execution.status)
      ? execution.status
      : (live?.status ?? execution.status);
  const shown = useShownOutput(execution, live);
  const segments = shown?.segments ?? [];
  const { ref, onScroll } = useStickToBottom(segments);
  const running = !isFinished(status);

  return (
    <section className="panel output-panel" aria-labelledby="output-title">
      <header className="panel-header">
        <h2 id="output-title">Output</h2>
        <StatusBadge status={status} />
        {result.exit_code !== null && result.exit_code !== undefined && isFinished(status) && (
          <span className="muted" data-testid="exit-code">
            exit code {result.exit_code}
          </span>
        )}
      </header>
      {live?.error && (
        <div className="notice notice-error" role="alert">
          {live.error}
        </div>
      )}
      {shown && shown.droppedChars > 0 && (
        <p className="notice notice-info" data-testid="output-tail-notice">
          Showing the last {formatChars(shown.shownChars)}; {formatChars(shown.droppedChars)} before them are not shown
          here.
        </p>
      )}
      <pre
        ref={ref}
        onScroll={onScroll}
        className="output-log"
        role="log"
        aria-live="polite"
        aria-label="Program output"
        data-testid="output-log"
        tabIndex={0}
      >
        {segments.length === 0 ? (
          <span className="muted">{running ? 'Waiting for output…' : 'The program printed nothing.'}</span>
        ) : (
          segments.map((segment, index) => (
            <span key={index} className={`out-${segment.kind}`} data-stream={segment.kind}>
              {segment.text}
            </span>
          ))
        )}
      </pre>
      {(result.stdout_truncated || result.stderr_truncated) && isFinished(status) && (
        <p className="notice notice-warn" data-testid="truncated">
          Output was cut off at the limit
          {result.limits?.output_limit_kib ? ` of ${formatKib(result.limits.output_limit_kib)} per stream` : ''} (
          {[result.stdout_truncated && 'stdout', result.stderr_truncated && 'stderr'].filter(Boolean).join(' and ')}).
        </p>
      )}
      {running ? (
        execution.interactive !== false && <LiveInput jobId={execution.id} />
      ) : (
        <>
          <ArtifactList execution={result} />
          <RunFigures execution={result} status={status} />
        </>
      )}
    </section>
  );
});
