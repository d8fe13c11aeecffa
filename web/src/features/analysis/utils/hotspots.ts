/** The lines of an analysis that dominate the cost, merged per line, for the editor. */
import type { Analysis } from '@/lib/protocol';

export interface LineHighlight {
  line: number;
  message: string;
}

export function hotspotHighlights(analysis: Analysis | undefined): LineHighlight[] {
  if (!analysis) return [];
  const byLine = new Map<number, string[]>();
  for (const fn of analysis.functions) {
    for (const spot of fn.hotspots) {
      const reasons = byLine.get(spot.line) ?? [];
      const reason = fn.name && fn.name !== '<module>' ? `${spot.reason} (in ${fn.name}, ${fn.time_complexity})` : spot.reason;
      if (!reasons.includes(reason)) reasons.push(reason);
      byLine.set(spot.line, reasons);
    }
  }
  return [...byLine.entries()]
    .sort(([a], [b]) => a - b)
    .map(([line, reasons]) => ({ line, message: reasons.join('\n\n') }));
}

/** The line and column a syntax error message points at, e.g. "line 3, column 7". */
export function syntaxErrorPosition(message: string): { line: number; column: number } | null {
  const match = /line\s+(\d+)(?:\D+column\s+(\d+))?/i.exec(message);
  if (!match) return null;
  return { line: Number(match[1]), column: match[2] ? Number(match[2]) : 1 };
}
