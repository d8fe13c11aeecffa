/**
 * The Tests panel: input/expected pairs to write and edit, a button that runs them all, and per
 * test a ✓ or ✗ with its verdict and, when the output was wrong, a diff of expected against
 * actual. The results come from the caller (the run that is open), by test index.
 */
import { formatDuration, formatKib } from '@/lib/format';
import type { TestResult, Verdict } from '@/lib/protocol';
import { type DraftCase, MAX_TESTS, useTestCases } from '../stores/test-cases';
import { lineDiff } from '../utils/diff';

const VERDICT_WORDS: Record<Verdict, string> = {
  accepted: 'Accepted',
  wrong_answer: 'Wrong answer',
  time_limit_exceeded: 'Time limit exceeded',
  memory_limit_exceeded: 'Memory limit exceeded',
  output_limit_exceeded: 'Output limit exceeded',
  runtime_error: 'Runtime error',
  internal_error: 'Internal error',
};

export function verdictWords(verdict: Verdict): string {
  return VERDICT_WORDS[verdict];
}

interface TestsPanelProps {
  /** Results of the open run, by test index (missing: not run yet). */
  results: (TestResult | undefined)[];
  /** The summed-up verdict of the open run, once it has one. */
  verdict: Verdict | null;
  running: boolean;
  pending: boolean;
  onRunAll: () => void;
}

function Diff({ expected, result }: { expected: string; result: TestResult }) {
  const diff = lineDiff(expected, result.stdout);
  return (
    <div className="test-diff" data-testid="test-diff">
      <p className="muted small">
        <span className="diff-expected-key">− expected</span> <span className="diff-actual-key">+ actual</span>
        {result.stdout_truncated ? ' (actual output cut to its first 16 KiB)' : ''}
      </p>
      <pre>
        {diff.map((line, index) => (
          <span key={index} className={`diff-${line.kind}`} data-kind={line.kind}>
            {line.kind === 'expected' ? '− ' : line.kind === 'actual' ? '+ ' : '  '}
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
      {result.stderr && (
        <details>
          <summary>stderr</summary>
          <pre className="test-stderr">{result.stderr}</pre>
        </details>
      )}
    </div>
  );
}

function CaseEditor({ draft, index, result }: { draft: DraftCase; index: number; result?: TestResult }) {
  const { update, remove } = useTestCases();
  const label = draft.name.trim() || `Test ${index + 1}`;
  const passed = result?.verdict === 'accepted';
  return (
    <li className="test-case" data-testid="test-case" data-verdict={result?.verdict ?? 'none'}>
      <div className="test-case-header">
        {result && (
          <span
            className={`test-mark ${passed ? 'test-pass' : 'test-fail'}`}
            aria-label={passed ? 'passed' : 'failed'}
            data-testid="test-mark"
          >
            {passed ? '✓' : '✗'}
          </span>
        )}
        <input
          className="test-name"
          aria-label={`Name of test ${index + 1}`}
          placeholder={`Test ${index + 1}`}
          value={draft.name}
          onChange={(event) => update(draft.id, { name: event.target.value })}
        />
        {result && (
          <span className="muted small" data-testid="test-verdict">
            {verdictWords(result.verdict)} · {formatDuration(result.time_ms)} · {formatKib(result.peak_memory_kib)}
          </span>
        )}
        <button
          type="button"
          className="button button-quiet"
          aria-label={`Remove ${label}`}
          onClick={() => remove(draft.id)}
        >
          Remove
        </button>
      </div>
      <div className="test-io">
        <label>
          <span className="small">Input</span>
          <textarea
            rows={2}
            spellCheck={false}
            aria-label={`Input of ${label}`}
            value={draft.stdin}
            onChange={(event) => update(draft.id, { stdin: event.target.value })}
          />
        </label>
        <label>
          <span className="small">Expected output</span>
          <textarea
            rows={2}
            spellCheck={false}
            aria-label={`Expected output of ${label}`}
            value={draft.expected}
            onChange={(event) => update(draft.id, { expected: event.target.value })}
          />
        </label>
      </div>
      {result && !passed && <Diff expected={draft.expected} result={result} />}
    </li>
  );
}

export function TestsPanel({ results, verdict, running, pending, onRunAll }: TestsPanelProps) {
  const { cases, exact, add, setExact } = useTestCases();
  const passed = results.filter((result) => result?.verdict === 'accepted').length;
  return (
    <section className="panel tests-panel" aria-labelledby="tests-title">
      <header className="panel-header">
        <h2 id="tests-title">Tests</h2>
        {verdict && (
          <span
            className={`badge ${verdict === 'accepted' ? 'badge-ok' : 'badge-bad'}`}
            data-testid="tests-summary"
            data-verdict={verdict}
          >
            {verdictWords(verdict)} · {passed}/{results.length} passed
          </span>
        )}
      </header>
      {cases.length === 0 && (
        <p className="muted">
          Add input and expected output pairs; <strong>Run all tests</strong> runs the program once per test, each in a
          fresh sandbox. Trailing whitespace is ignored unless you ask for an exact match.
        </p>
      )}
      <ol className="test-cases">
        {cases.map((draft, index) => (
          <CaseEditor key={draft.id} draft={draft} index={index} result={results[index]} />
        ))}
      </ol>
      <div className="tests-actions">
        <button type="button" className="button" onClick={add} disabled={cases.length >= MAX_TESTS}>
          Add test
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={exact} onChange={(event) => setExact(event.target.checked)} />
          <span>Exact match (whitespace counts)</span>
        </label>
        <button
          type="button"
          className="button button-primary"
          onClick={onRunAll}
          disabled={cases.length === 0 || pending || running}
        >
          Run all tests
        </button>
      </div>
    </section>
  );
}
