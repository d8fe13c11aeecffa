/**
 * A line diff of expected against actual output (longest common subsequence), for showing why
 * a test failed. Trailing whitespace is shown as it is: the server decides the verdict.
 */
export type DiffLine = { kind: 'same' | 'expected' | 'actual'; text: string };

/** Longest inputs diffed line by line; past this, both are shown whole. */
const MAX_LINES = 2000;

function lines(text: string): string[] {
  const split = text.split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (split.length > 1 && split[split.length - 1] === '') split.pop();
  return split;
}

export function lineDiff(expected: string, actual: string): DiffLine[] {
  const a = lines(expected);
  const b = lines(actual);
  if (a.length > MAX_LINES || b.length > MAX_LINES) {
    return [
      ...a.map((text) => ({ kind: 'expected' as const, text })),
      ...b.map((text) => ({ kind: 'actual' as const, text })),
    ];
  }
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i += 1;
      j += 1;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ kind: 'expected', text: a[i]! });
      i += 1;
    } else {
      out.push({ kind: 'actual', text: b[j]! });
      j += 1;
    }
  }
  for (; i < a.length; i += 1) out.push({ kind: 'expected', text: a[i]! });
  for (; j < b.length; j += 1) out.push({ kind: 'actual', text: b[j]! });
  return out;
}
