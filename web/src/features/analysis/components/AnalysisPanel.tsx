/** The result of an analysis: the headline classes, the explanation, and each function. */
import { memo } from 'react';
import { ErrorNotice } from '@/components/ui/ErrorNotice';
import { InlineCode } from '@/components/ui/InlineCode';
import { Spinner } from '@/components/ui/Spinner';
import type { Analysis } from '@/lib/protocol';
import { sizeEntries, variablesText } from '../utils/sizes';
import { MeasurementChart } from './MeasurementChart';

interface AnalysisPanelProps {
  analysis: Analysis | undefined;
  pending: boolean;
  error: unknown;
  /** Moves the editor cursor to a line (a function's definition). */
  onShowLine?: (line: number) => void;
}

function confidenceWords(confidence: number | null | undefined): string | null {
  if (confidence === null || confidence === undefined) return null;
  return `${Math.round(confidence * 100)}% confident`;
}

/** What the letters of the classes stand for, and what "space" counts. */
export function SizesLine({ variables }: { variables: Record<string, string> | null | undefined }) {
  const entries = sizeEntries(variables);
  return (
    <p className="muted small" data-testid="complexity-variables" aria-label={sizesLabel(variables)}>
      {entries.length > 0 && (
        <>
          where{' '}
          {entries.map(([letter, source], i) => (
            <span key={letter}>
              {i > 0 && ', '}
              <code>{letter}</code> = <code>{source}</code>
            </span>
          ))}
          .{' '}
        </>
      )}
      Space is auxiliary space: memory allocated beyond the inputs, which are not counted.
    </p>
  );
}

function sizesLabel(variables: Record<string, string> | null | undefined): string {
  const sizes = variablesText(variables);
  const space = 'Space is auxiliary space: memory allocated beyond the inputs, which are not counted.';
  return sizes ? `where ${sizes}. ${space}` : space;
}

export const AnalysisPanel = memo(function AnalysisPanel({ analysis, pending, error, onShowLine }: AnalysisPanelProps) {
  return (
    <section className="panel analysis-panel" aria-labelledby="analysis-title" aria-busy={pending}>
      <header className="panel-header">
        <h2 id="analysis-title">Complexity</h2>
        {pending && <Spinner label="Analyzing" />}
      </header>
      {Boolean(error) && <ErrorNotice error={error} title="Analysis failed" />}
      {!analysis && !pending && !error && (
        <p className="muted">Press Analyze to estimate the time and space complexity of the program.</p>
      )}
      {analysis && (
        <div data-testid="analysis-result">
          <div className="complexity-row">
            <div className="complexity">
              <span className="complexity-label">Time</span>
              <span className="complexity-value" data-testid="time-complexity">
                {analysis.time_complexity}
              </span>
            </div>
            <div className="complexity">
              <span className="complexity-label" title="Memory the code allocates beyond its inputs">
                Auxiliary space
              </span>
              <span className="complexity-value" data-testid="space-complexity">
                {analysis.space_complexity}
              </span>
            </div>
          </div>
          <SizesLine variables={analysis.variables} />
          <p className="muted small">
            {[`from ${analysis.source} analysis`, confidenceWords(analysis.confidence)].filter(Boolean).join(' · ')}
          </p>
          <p className="explanation">
            <InlineCode text={analysis.explanation} />
          </p>
          {analysis.disagreement && (
            <p className="notice notice-warn">
              <InlineCode text={analysis.disagreement} />
            </p>
          )}
          {analysis.notes && analysis.notes.length > 0 && (
            <ul className="notes">
              {analysis.notes.map((note) => (
                <li key={note}>
                  <InlineCode text={note} />
                </li>
              ))}
            </ul>
          )}
          {analysis.functions.length > 0 && (
            <table className="functions">
              <caption className="visually-hidden">Per-function complexity</caption>
              <thead>
                <tr>
                  <th scope="col">Function</th>
                  <th scope="col">Time</th>
                  <th scope="col" title="Auxiliary space: memory allocated beyond the inputs">
                    Space
                  </th>
                </tr>
              </thead>
              <tbody>
                {analysis.functions.map((fn) => (
                  <tr key={`${fn.name}:${fn.line}`}>
                    <td>
                      <button type="button" className="link-button" onClick={() => onShowLine?.(fn.line)}>
                        {fn.name}
                      </button>{' '}
                      <span className="muted small">line {fn.line}</span>
                    </td>
                    <td>{fn.time_complexity}</td>
                    <td>{fn.space_complexity}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {analysis.measurements && analysis.measurements.points.length > 0 && (
            <MeasurementChart measurements={analysis.measurements} variables={analysis.variables} />
          )}
        </div>
      )}
    </section>
  );
});
