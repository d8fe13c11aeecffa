/** The outcome of a finished run: the message in words and its figures. */
import { formatDuration, formatKib } from '@/lib/format';
import type { ExecutionSummary, JobStatus } from '@/lib/protocol';

function defaultMessage(execution: ExecutionSummary, status: JobStatus): string | null {
  switch (status) {
    case 'succeeded':
      return null;
    case 'failed':
      return execution.signal
        ? `The program was killed by signal ${execution.signal}.`
        : `The program exited with code ${execution.exit_code ?? '?'}.`;
    case 'timed_out':
      return execution.limits?.time_limit_ms
        ? `The program ran longer than the time limit of ${formatDuration(execution.limits.time_limit_ms)}.`
        : 'The program ran longer than the time limit.';
    case 'memory_exceeded':
      return 'The program used more memory than the limit.';
    case 'output_exceeded':
      return 'The program printed more than the output limit.';
    case 'cancelled':
      return 'The run was stopped.';
    case 'internal_error':
      return 'The platform failed to run the program.';
    default:
      return null;
  }
}

export function RunFigures({ execution, status }: { execution: ExecutionSummary; status: JobStatus }) {
  const message = execution.message ?? defaultMessage(execution, status);
  return (
    <div className="run-figures">
      {message && (
        <p className={`run-message tone-${status}`} data-testid="run-message">
          {message}
        </p>
      )}
      <dl className="figures">
        <div>
          <dt>Exit code</dt>
          <dd>{execution.exit_code ?? '—'}</dd>
        </div>
        <div>
          <dt>Wall time</dt>
          <dd>{formatDuration(execution.wall_time_ms)}</dd>
        </div>
        <div>
          <dt>CPU time</dt>
          <dd>{formatDuration(execution.cpu_time_ms)}</dd>
        </div>
        <div>
          <dt>Peak memory</dt>
          <dd>{formatKib(execution.peak_memory_kib)}</dd>
        </div>
      </dl>
    </div>
  );
}
