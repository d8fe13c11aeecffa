import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { analysisSchema } from '@/lib/protocol';
import { MeasurementChart } from '../components/MeasurementChart';

/**
 * A real answer of `POST /api/v1/analyses` with `mode: "empirical"` (code-remote serve, the
 * `pairs` function of the measured-analysis API test), copied as the server sent it.
 */
const MEASURED_RESPONSE: unknown = {
  "time_complexity": "O(n^2)",
  "space_complexity": "O(1)",
  "explanation": "Time O(n^2), dominated by line 4: loop runs n times (n^2 in total). Space O(1): only a fixed number of values are kept.",
  "confidence": 0.85,
  "source": "combined",
  "functions": [
    {
      "name": "pairs",
      "line": 1,
      "time_complexity": "O(n^2)",
      "space_complexity": "O(1)",
      "hotspots": [
        {
          "line": 4,
          "reason": "loop runs n times (n^2 in total)"
        },
        {
          "line": 3,
          "reason": "loop runs n times (n^2 in total)"
        }
      ]
    }
  ],
  "notes": [
    "no top-level code calls the functions; the worst function is reported",
    "measured `pairs` at 20 sizes: best fit O(n^2) (confidence 0.57)"
  ],
  "measurements": {
    "function": "pairs",
    "points": [
      {
        "n": 4,
        "seconds": 0.0
      },
      {
        "n": 6,
        "seconds": 0.0
      },
      {
        "n": 9,
        "seconds": 0.0
      },
      {
        "n": 13,
        "seconds": 0.0
      },
      {
        "n": 19,
        "seconds": 0.0
      },
      {
        "n": 28,
        "seconds": 0.0
      },
      {
        "n": 42,
        "seconds": 0.0
      },
      {
        "n": 63,
        "seconds": 0.0
      },
      {
        "n": 94,
        "seconds": 0.0
      },
      {
        "n": 141,
        "seconds": 0.0
      },
      {
        "n": 211,
        "seconds": 0.0
      },
      {
        "n": 316,
        "seconds": 0.0
      },
      {
        "n": 474,
        "seconds": 0.004016108
      },
      {
        "n": 711,
        "seconds": 0.011718432
      },
      {
        "n": 1066,
        "seconds": 0.019947193
      },
      {
        "n": 1599,
        "seconds": 0.04226611
      },
      {
        "n": 2398,
        "seconds": 0.100973612
      },
      {
        "n": 3597,
        "seconds": 0.251902267
      },
      {
        "n": 5395,
        "seconds": 0.587431495
      },
      {
        "n": 8092,
        "seconds": 1.166691458
      }
    ],
    "verdict": "O(n^2)",
    "confidence": 0.5720371146836061
  }
};

describe('a measured analysis from the server', () => {
  it('parses, with the measured function, points and verdict', () => {
    const analysis = analysisSchema.parse(MEASURED_RESPONSE);
    expect(analysis.source).toBe('combined');
    expect(analysis.measurements?.function).toBe('pairs');
    expect(analysis.measurements?.verdict).toBe('O(n^2)');
    expect(analysis.measurements?.points).toHaveLength(20);
  });

  it('draws every point and the fitted curve of the verdict', () => {
    const measurements = analysisSchema.parse(MEASURED_RESPONSE).measurements;
    if (!measurements) throw new Error('the response has measurements');
    const svg = renderToStaticMarkup(createElement(MeasurementChart, { measurements }));
    expect(svg.match(/<circle /g)).toHaveLength(20);
    expect(svg).toContain('class="fit"');
    expect(svg).toContain('fitted as O(n^2)');
  });
});
