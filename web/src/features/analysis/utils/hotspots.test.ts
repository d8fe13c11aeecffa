import { describe, expect, it } from 'vitest';
import type { Analysis } from '@/lib/protocol';
import { hotspotHighlights, syntaxErrorPosition } from './hotspots';

const base: Analysis = {
  time_complexity: 'O(n^2)',
  space_complexity: 'O(1)',
  explanation: '',
  source: 'static',
  confidence: 0.9,
  functions: [],
};

describe('hotspot highlights', () => {
  it('merges the reasons for one line and orders lines', () => {
    const highlights = hotspotHighlights({
      ...base,
      functions: [
        { name: 'pairs', line: 1, time_complexity: 'O(n^2)', space_complexity: 'O(1)', hotspots: [{ line: 4, reason: 'inner loop' }, { line: 3, reason: 'outer loop' }] },
        { name: '<module>', line: 1, time_complexity: 'O(n^2)', space_complexity: 'O(1)', hotspots: [{ line: 4, reason: 'called here' }] },
      ],
    });
    expect(highlights).toEqual([
      { line: 3, message: 'outer loop (in pairs, O(n^2))' },
      { line: 4, message: 'inner loop (in pairs, O(n^2))\n\ncalled here' },
    ]);
  });

  it('has nothing to highlight without an analysis', () => {
    expect(hotspotHighlights(undefined)).toEqual([]);
  });

  it('finds the position in a syntax error message', () => {
    expect(syntaxErrorPosition('invalid syntax at line 3, column 7')).toEqual({ line: 3, column: 7 });
    expect(syntaxErrorPosition('Expected an expression at line 12')).toEqual({ line: 12, column: 1 });
    expect(syntaxErrorPosition('something else')).toBeNull();
  });
});
