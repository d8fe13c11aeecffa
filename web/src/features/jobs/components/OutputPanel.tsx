/**
 * The output of one run: stdout and stderr as they stream in (stderr set apart in colour and
 * label), what the user typed into stdin, then the outcome in words with exit code and figures.
 */
import { memo, useLayoutEffect, useRef } from 'react';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatChars } from '@/lib/format';
import { type Execution, isFinished } from '@/lib/protocol';
import { type Segment, useLiveOutput } from '../stores/live-output';
import { LiveInput } from './LiveInput';
import { RunFigures } from './RunFigures';

/** Segments to show: the live stream while we have it, else the stored result. */
function segmentsOf(execution: Execution, live: Segment[], liveComplete: boolean): Segment[] {
  if (!isFinished(execution.status) || liveComplete) return live;
  const stored: Segment[] = [];
  if (execution.stdout) stored.push({ kind: 'stdout', text: execution.stdout });
  if (execution.stderr) stored.push({ kind: 'stderr', text: execution.stderr });
  return stored;
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
  const liveComplete = Boolean(live?.execution);
  const result = live?.execution ?? execution;
  const status = live?.execution
    ? live.execution.status
    : isFinished(execution.status)
      ? execution.status
      : (live?.status ?? execution.status);
  const segments = segmentsOf(result, live?.segments ?? [], liveComplete);
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
      {liveComplete || !isFinished(status) ? (
        live && live.droppedChars > 0 && (
          <p className="notice notice-info">
            Showing the latest {formatChars(live.shownChars)}; {formatChars(live.droppedChars)} earlier are hidden
            here.
          </p>
        )
      ) : null}
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
          {result.limits?.output_limit_kib ? ` of ${result.limits.output_limit_kib} KiB per stream` : ''} (
          {[result.stdout_truncated && 'stdout', result.stderr_truncated && 'stderr'].filter(Boolean).join(' and ')}).
        </p>
      )}
      {running ? (
        execution.interactive !== false && <LiveInput jobId={execution.id} />
      ) : (
        <RunFigures execution={result} status={status} />
      )}
    </section>
  );
});
