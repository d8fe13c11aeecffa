/**
 * The sizes a complexity class names (`O(n*m)`, `O(V + E)`): what each letter stands for, and
 * the one-size class every size taken as `n` gives, for drawing a curve against one axis.
 * Reads the canonical strings of the analysis object only; it does not parse model spellings.
 */

/** The order letters are listed in, as the server writes them; other names follow, sorted. */
const CONVENTIONAL = ['n', 'm', 'k', 'p', 'q', 'r', 's', 't', 'V', 'E'];

function letterOrder(a: string, b: string): number {
  const rank = (x: string) => {
    const i = CONVENTIONAL.indexOf(x);
    return i === -1 ? CONVENTIONAL.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The named sizes as `[letter, source expression]`, in the order the classes write them. */
export function sizeEntries(variables: Record<string, string> | null | undefined): [string, string][] {
  return Object.entries(variables ?? {}).sort(([a], [b]) => letterOrder(a, b));
}

/** "n = len(grid), m = len(grid[0])", or null when no size is named. */
export function variablesText(variables: Record<string, string> | null | undefined): string | null {
  const entries = sizeEntries(variables);
  if (entries.length === 0) return null;
  return entries.map(([letter, source]) => `${letter} = ${source}`).join(', ');
}

/** Twice the power of the sizes and the power of their logs in one term: "n*m log m". */
function termDegree(term: string): { half: number; log: number } | null {
  const words = term.trim().split(' ');
  const isSize = (word: string | undefined) => word !== undefined && /^[A-Za-z]$/.test(word);
  let half = 0;
  let log = 0;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    const name = words[i + 1];
    if (word === '1') continue;
    const logMatch = /^log(?:\^(\d+))?$/.exec(word);
    if (logMatch && isSize(name)) {
      log += logMatch[1] ? Number(logMatch[1]) : 1;
      i += 1;
      continue;
    }
    if (word === 'sqrt' && isSize(name)) {
      half += 1;
      i += 1;
      continue;
    }
    for (const factor of word.split('*')) {
      // Sizes are single letters, as the server names them.
      const m = /^[A-Za-z](?:\^(\d+))?$/.exec(factor);
      if (!m) return null;
      half += 2 * (m[1] ? Number(m[1]) : 1);
    }
  }
  return { half, log };
}

/** A one-size class as the server writes it: 4 half-powers and 1 log is "O(n^2 log n)". */
function oneSizeClass(half: number, log: number): string {
  const whole = Math.floor(half / 2);
  const power = [whole === 0 ? '' : whole === 1 ? 'n' : `n^${whole}`, half % 2 === 1 ? 'sqrt n' : '']
    .filter(Boolean)
    .join(' ');
  const logs = log === 0 ? '' : log === 1 ? 'log n' : `log^${log} n`;
  const body = [power, logs].filter(Boolean).join(' ');
  return `O(${body || '1'})`;
}

/**
 * The class with every size taken as `n`: "O(n*m)" → "O(n^2)", "O(V + E)" → "O(n)".
 * Exponential and factorial classes become "O(2^n)" and "O(n!)"; anything else is returned
 * as it is.
 */
export function collapseToN(cls: string): string {
  const inner = /^O\((.*)\)$/.exec(cls.trim())?.[1];
  if (inner === undefined) return cls;
  if (/^2\^[A-Za-z]$/.test(inner)) return 'O(2^n)';
  if (/^[A-Za-z]!$/.test(inner)) return 'O(n!)';
  let best: { half: number; log: number } | null = null;
  for (const term of inner.split(' + ')) {
    const degree = termDegree(term);
    if (!degree) return cls;
    if (!best || degree.half > best.half || (degree.half === best.half && degree.log > best.log)) best = degree;
  }
  return best ? oneSizeClass(best.half, best.log) : cls;
}

/** Whether a class names more than the one size `n`. */
export function hasSeveralSizes(variables: Record<string, string> | null | undefined): boolean {
  return Object.keys(variables ?? {}).length > 1;
}
