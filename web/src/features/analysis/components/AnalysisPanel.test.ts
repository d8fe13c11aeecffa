import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { analysisSchema } from '@/lib/protocol';
import { AnalysisPanel, SizesLine } from './AnalysisPanel';
import { MeasurementChart } from './MeasurementChart';

/** The answer of `POST /api/v1/analyses` for a grid count (the API test's program). */
const GRID_ANSWER: unknown = {
  time_complexity: 'O(n*m)',
  space_complexity: 'O(1)',
  variables: { n: 'len(grid)', m: 'len(grid[0])' },
  explanation: 'Time O(n*m), dominated by line 4: loop runs n times (n^2 in total).',
  confidence: 0.85,
  source: 'static',
  functions: [{ name: 'count', line: 1, time_complexity: 'O(n*m)', space_complexity: 'O(1)', hotspots: [] }],
  notes: [],
};

function text(html: string): string {
  return html.replace(/<[^>]+>/g, '');
}

describe('the analysis view', () => {
  it('says what each size letter stands for and that space is auxiliary', () => {
    const analysis = analysisSchema.parse(GRID_ANSWER);
    const html = renderToStaticMarkup(createElement(AnalysisPanel, { analysis, pending: false, error: null }));
    expect(text(html)).toContain('O(n*m)');
    expect(text(html)).toContain('where n = len(grid), m = len(grid[0]).');
    expect(text(html)).toContain('Space is auxiliary space: memory allocated beyond the inputs, which are not counted.');
    expect(html).toContain('<code>len(grid[0])</code>');
  });

  it('names no sizes when the server named none, and still explains space', () => {
    const html = renderToStaticMarkup(createElement(SizesLine, { variables: {} }));
    expect(text(html)).not.toContain('where');
    expect(text(html)).toContain('auxiliary space');
    const older = analysisSchema.parse({ ...(GRID_ANSWER as object), variables: undefined });
    expect(older.variables).toBeUndefined();
  });

  it('labels the chart axis with every size grown together', () => {
    const measurements = {
      function: 'count',
      verdict: 'O(n^2)',
      confidence: 0.9,
      points: [
        { n: 10, seconds: 0.01 },
        { n: 20, seconds: 0.04 },
      ],
    };
    const html = renderToStaticMarkup(
      createElement(MeasurementChart, { measurements, variables: { n: 'len(grid)', m: 'len(grid[0])' } }),
    );
    expect(text(html)).toContain('input size n (every size grown together)');
    expect(text(html)).toContain('n = len(grid), m = len(grid[0])');
    const single = renderToStaticMarkup(createElement(MeasurementChart, { measurements, variables: { n: 'len(a)' } }));
    expect(text(single)).toContain('input size n');
    expect(text(single)).not.toContain('grown together');
  });
});
