/**
 * Small inline-SVG charts for the HTML report: a line chart (loss curves) and horizontal bar
 * charts (metrics, failure rates). Strings in, strings out; no DOM, no external assets.
 */
import { escapeHtml } from './escape-html';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly Point[];
  readonly dashed?: boolean;
}

export interface LineChartOptions {
  readonly series: readonly LineSeries[];
  readonly width?: number;
  readonly height?: number;
  readonly xLabel?: string;
  readonly yLabel?: string;
}

/** Room around the plot for tick labels (left, bottom) and the legend (top). */
export const MARGIN = { top: 24, right: 16, bottom: 36, left: 56 } as const;

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 × a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  // Tolerances absorb float noise: 0.39 - 0.31 is 0.08000000000000002, not 0.08.
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
  const first = Math.ceil(min / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i * step <= max + step * 1e-9; i += 1) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

const round = (v: number): string => (Math.round(v * 10) / 10).toFixed(1);

/**
 * An SVG path through the points: `M` at the start and after every gap, `L` otherwise.
 * Non-finite values (a diverged loss) break the line instead of bending it to infinity.
 */
export function linePath(points: readonly Point[], x: (v: number) => number, y: (v: number) => number): string {
  const parts: string[] = [];
  let pen: 'M' | 'L' = 'M';
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      pen = 'M';
      continue;
    }
    parts.push(`${pen}${round(x(p.x))},${round(y(p.y))}`);
    pen = 'L';
  }
  return parts.join(' ');
}

const formatTick = (v: number): string => (Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4))));

export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 280;
  const finite = options.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const open = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">`;
  if (finite.length === 0) {
    return `${open}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="muted">no training progress recorded</text></svg>`;
  }
  const xs = finite.map((p) => p.x);
  const ys = finite.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const x = linearScale([x0, x1], [MARGIN.left, width - MARGIN.right]);
  const y = linearScale([y0, y1], [height - MARGIN.bottom, MARGIN.top]);
  const grid = niceTicks(y0, y1, 4)
    .map((t) => `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${round(y(t))}" y2="${round(y(t))}" class="grid"/><text x="${MARGIN.left - 6}" y="${round(y(t) + 4)}" text-anchor="end" class="tick">${formatTick(t)}</text>`)
    .join('');
  const xTicks = niceTicks(x0, x1, 6)
    .map((t) => `<text x="${round(x(t))}" y="${height - MARGIN.bottom + 16}" text-anchor="middle" class="tick">${formatTick(t)}</text>`)
    .join('');
  const lines = options.series
    .map((s) => `<path d="${linePath(s.points, x, y)}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${escapeHtml(s.name)}</title></path>`)
    .join('');
  const legend = options.series
    .map((s, i) => `<g transform="translate(${MARGIN.left + i * 150},10)"><line x1="0" x2="18" y1="0" y2="0" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="24" y="4" class="tick">${escapeHtml(s.name)}</text></g>`)
    .join('');
  const labels =
    (options.xLabel ? `<text x="${(MARGIN.left + width - MARGIN.right) / 2}" y="${height - 4}" text-anchor="middle" class="label">${escapeHtml(options.xLabel)}</text>` : '') +
    (options.yLabel ? `<text x="12" y="${(MARGIN.top + height - MARGIN.bottom) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(MARGIN.top + height - MARGIN.bottom) / 2})" class="label">${escapeHtml(options.yLabel)}</text>` : '');
  return `${open}${grid}${xTicks}${lines}${legend}${labels}</svg>`;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly highlight?: boolean;
  /** Text after the bar; the value when omitted. */
  readonly text?: string;
}

export interface BarChartOptions {
  readonly bars: readonly Bar[];
  readonly width?: number;
  /** The value of a full-width bar; the largest value when omitted. */
  readonly max?: number;
  readonly labelWidth?: number;
}

export const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const VALUE_WIDTH = 72;

/** Horizontal bars from zero, one per row, the highlighted one in the accent colour. */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 420;
  const labelWidth = options.labelWidth ?? 110;
  const plot = width - labelWidth - VALUE_WIDTH;
  const max = options.max ?? Math.max(0, ...options.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  const scale = linearScale([0, max > 0 ? max : 1], [0, plot]);
  const height = options.bars.length * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
  const rows = options.bars
    .map((b, i) => {
      const top = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP);
      const w = Number.isFinite(b.value) ? Math.max(0, Math.min(plot, scale(b.value))) : 0;
      return (
        `<text x="${labelWidth - 6}" y="${top + 13}" text-anchor="end" class="tick">${escapeHtml(b.label)}</text>` +
        `<rect x="${labelWidth}" y="${top}" width="${round(w)}" height="${BAR_HEIGHT}" class="${b.highlight ? 'bar hl' : 'bar'}"/>` +
        `<text x="${round(labelWidth + w + 6)}" y="${top + 13}" class="tick">${escapeHtml(b.text ?? formatTick(b.value))}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${rows}</svg>`;
}
