/** Run, Stop and Analyze, with the options that go with them. */
import { ANALYSIS_MODES, type AnalysisMode, MODE_LABELS } from '@/features/analysis/api/create-analysis';

interface RunToolbarProps {
  running: boolean;
  runPending: boolean;
  stopPending: boolean;
  analyzePending: boolean;
  mode: AnalysisMode;
  timeLimit: string;
  timeLimitError: string | null;
  onRun: () => void;
  onStop: () => void;
  onAnalyze: () => void;
  onModeChange: (mode: AnalysisMode) => void;
  onTimeLimitChange: (value: string) => void;
}

export function RunToolbar(props: RunToolbarProps) {
  const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <div className="toolbar" role="toolbar" aria-label="Run and analyze">
      <button
        type="button"
        className="button button-primary"
        onClick={props.onRun}
        disabled={props.runPending}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        title={`Run (${isMac ? '⌘' : 'Ctrl'}+Enter)`}
      >
        <span aria-hidden="true">▶</span> {props.runPending ? 'Starting…' : 'Run'}
      </button>
      <button
        type="button"
        className="button button-danger"
        onClick={props.onStop}
        disabled={!props.running || props.stopPending}
      >
        <span aria-hidden="true">■</span> Stop
      </button>
      <div className="toolbar-field">
        <label htmlFor="time-limit">Time limit (s)</label>
        <input
          id="time-limit"
          inputMode="decimal"
          placeholder="30"
          size={4}
          value={props.timeLimit}
          aria-invalid={props.timeLimitError ? true : undefined}
          aria-describedby={props.timeLimitError ? 'time-limit-error' : undefined}
          onChange={(event) => props.onTimeLimitChange(event.target.value)}
        />
        {props.timeLimitError && (
          <span id="time-limit-error" className="field-error" role="alert">
            {props.timeLimitError}
          </span>
        )}
      </div>
      <span className="toolbar-spacer" />
      <div className="toolbar-field">
        <label htmlFor="analysis-mode" className="visually-hidden">
          Analysis method
        </label>
        <select
          id="analysis-mode"
          value={props.mode}
          onChange={(event) => props.onModeChange(event.target.value as AnalysisMode)}
        >
          {ANALYSIS_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {MODE_LABELS[mode]}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button" onClick={props.onAnalyze} disabled={props.analyzePending}>
        {props.analyzePending ? 'Analyzing…' : 'Analyze'}
      </button>
    </div>
  );
}
