import { describe, expect, it } from 'vitest';
import { collapseToN, hasSeveralSizes, sizeEntries, variablesText } from './sizes';

describe('named sizes', () => {
  it('says what each letter stands for, in the order the classes write them', () => {
    expect(variablesText({ m: 'len(grid[0])', n: 'len(grid)' })).toBe('n = len(grid), m = len(grid[0])');
    expect(variablesText({ E: 'sum(len(adj[v]) for v in adj)', V: 'len(adj)' })).toBe(
      'V = len(adj), E = sum(len(adj[v]) for v in adj)',
    );
    expect(sizeEntries({ k: 'k', n: 'len(a)' })).toEqual([
      ['n', 'len(a)'],
      ['k', 'k'],
    ]);
  });

  it('has nothing to say when no size is named', () => {
    expect(variablesText({})).toBeNull();
    expect(variablesText(undefined)).toBeNull();
    expect(hasSeveralSizes({ n: 'len(nums)' })).toBe(false);
    expect(hasSeveralSizes({ n: 'n', m: 'm' })).toBe(true);
  });

  it('collapses several sizes to the one-size class', () => {
    expect(collapseToN('O(n*m)')).toBe('O(n^2)');
    expect(collapseToN('O(n + m)')).toBe('O(n)');
    expect(collapseToN('O(V + E)')).toBe('O(n)');
    expect(collapseToN('O(V log V + E log V)')).toBe('O(n log n)');
    expect(collapseToN('O(n^2*m sqrt m log n)')).toBe('O(n^3 sqrt n log n)');
    expect(collapseToN('O(n^2 + n*m)')).toBe('O(n^2)');
    expect(collapseToN('O(2^m)')).toBe('O(2^n)');
    expect(collapseToN('O(k!)')).toBe('O(n!)');
  });

  it('leaves one-size classes and unknown text as they are', () => {
    for (const cls of ['O(1)', 'O(log n)', 'O(sqrt n)', 'O(n)', 'O(n log n)', 'O(n^2 log n)', 'O(n sqrt n)']) {
      expect(collapseToN(cls)).toBe(cls);
    }
    expect(collapseToN('O(banana)')).toBe('O(banana)');
    expect(collapseToN('fast')).toBe('fast');
  });
});
