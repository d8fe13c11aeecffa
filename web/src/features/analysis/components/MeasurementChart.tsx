/**
 * Measured running time against input size, with the fitted complexity class drawn as a curve
 * scaled to the measurements (least squares through the origin). Plain SVG: no chart library.
 */
import type { Measurements } from '@/lib/protocol';
import { collapseToN, hasSeveralSizes, variablesText } from '../utils/sizes';

const WIDTH = 320;
const HEIGHT = 180;
const PAD = { left: 48, right: 12, top: 22, bottom: 32 };

/**
 * The growth function of a canonical class, e.g. "O(n log n)" → n·log2(n). A class over several
 * sizes is drawn with every size grown together as n ("O(n*m)" → n²).
 */
export function growthFunction(verdict: string): ((n: number) => number) | null {
  const cls = collapseToN(verdict.replace(/\s+/g, ' ').trim());
  const log = (n: number) => Math.log2(Math.max(n, 2));
  const table: Record<string, (n: number) => number> = {
    'O(1)': () => 1,
    'O(log n)': log,
    'O(sqrt n)': Math.sqrt,
    'O(n)': (n) => n,
    'O(n log n)': (n) => n * log(n),
    'O(n^2)': (n) => n * n,
    'O(n^2 log n)': (n) => n * n * log(n),
    'O(n^3)': (n) => n ** 3,
    'O(2^n)': (n) => 2 ** Math.min(n, 1000),
  };
  if (table[cls]) return table[cls];
  const poly = /^O\(n\^(\d+(?:\.\d+)?)\)$/.exec(cls);
  if (poly) {
    const k = Number(poly[1]);
    return (n) => n ** k;
  }
  return null;
}

function ticks(max: number): number[] {
  return [0, max / 2, max];
}

function short(value: number): string {
  if (value === 0) return '0';
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  if (value < 0.01) return value.toExponential(0);
  return String(Number(value.toPrecision(2)));
}

/** What the x axis counts: the one size, or every size grown together. */
export function sizeAxisLabel(variables: Record<string, string> | null | undefined): string {
  return hasSeveralSizes(variables) ? 'input size n (every size grown together)' : 'input size n';
}

interface MeasurementChartProps {
  measurements: Measurements;
  /** What the letters of the analysis' classes stand for (`n = len(grid)`). */
  variables?: Record<string, string> | null;
}

export function MeasurementChart({ measurements, variables }: MeasurementChartProps) {
  const sizes = variablesText(variables);
  const points = [...measurements.points].sort((a, b) => a.n - b.n);
  if (points.length === 0) return null;
  const maxN = Math.max(...points.map((p) => p.n)) || 1;
  const growth = growthFunction(measurements.verdict);
  const scale = growth
    ? points.reduce((sum, p) => sum + p.seconds * growth(p.n), 0) /
      (points.reduce((sum, p) => sum + growth(p.n) ** 2, 0) || 1)
    : 0;
  const curve = growth
    ? Array.from({ length: 41 }, (_, i) => {
        const n = (maxN * i) / 40;
        return { n, seconds: scale * growth(n) };
      })
    : [];
  const maxS = Math.max(...points.map((p) => p.seconds), ...curve.map((p) => p.seconds)) || 1;
  const x = (n: number) => PAD.left + (n / maxN) * (WIDTH - PAD.left - PAD.right);
  const y = (s: number) => HEIGHT - PAD.bottom - (s / maxS) * (HEIGHT - PAD.top - PAD.bottom);

  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Measured time of ${measurements.function} against input size, fitted as ${measurements.verdict}`}
      >
        <line x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} className="axis" />
        {ticks(maxN).map((n) => (
          <text key={`x${n}`} x={x(n)} y={HEIGHT - PAD.bottom + 14} className="tick" textAnchor="middle">
            {short(n)}
          </text>
        ))}
        {ticks(maxS).map((s) => (
          <text key={`y${s}`} x={PAD.left - 6} y={y(s) + 4} className="tick" textAnchor="end">
            {short(s)}
          </text>
        ))}
        <text x={(WIDTH + PAD.left) / 2} y={HEIGHT - 4} className="tick" textAnchor="middle">
          {sizeAxisLabel(variables)}
        </text>
        <text x={PAD.left} y={10} className="tick">
          time (s)
        </text>
        {curve.length > 0 && (
          <polyline className="fit" points={curve.map((p) => `${x(p.n)},${y(p.seconds)}`).join(' ')} />
        )}
        {points.map((p) => (
          <circle key={p.n} cx={x(p.n)} cy={y(p.seconds)} r={3} className="point">
            <title>{`n = ${p.n}: ${p.seconds.toPrecision(3)} s`}</title>
          </circle>
        ))}
      </svg>
      <figcaption>
        Measured points of <code>{measurements.function}</code> and the fitted curve{' '}
        {measurements.verdict} (confidence {measurements.confidence.toFixed(2)})
        {sizes && (
          <>
            ; the analysis&apos; sizes are {sizes}
            {hasSeveralSizes(variables) ? ', grown together as n here' : ''}
          </>
        )}
      </figcaption>
    </figure>
  );
}
