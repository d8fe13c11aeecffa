import { describe, expect, it } from 'vitest';
import { lineDiff } from './diff';

describe('lineDiff', () => {
  it('marks the lines only one side has', () => {
    expect(lineDiff('1\n2\n3\n', '1\n5\n3\n')).toEqual([
      { kind: 'same', text: '1' },
      { kind: 'expected', text: '2' },
      { kind: 'actual', text: '5' },
      { kind: 'same', text: '3' },
    ]);
  });

  it('treats a final newline as the end of the last line', () => {
    expect(lineDiff('a\n', 'a')).toEqual([{ kind: 'same', text: 'a' }]);
  });

  it('shows missing and extra lines at the end', () => {
    expect(lineDiff('a\nb', 'a')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'expected', text: 'b' },
    ]);
    expect(lineDiff('', 'x')).toEqual([
      { kind: 'expected', text: '' },
      { kind: 'actual', text: 'x' },
    ]);
  });
});
