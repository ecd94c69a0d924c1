import { describe, expect, it } from 'vitest';
import { barChart, lineChart, linearScale, linePath, MARGIN, niceTicks } from './svg-charts';

describe('linearScale', () => {
  it('maps the domain onto the range, inverted ranges included', () => {
    const x = linearScale([0, 40], [56, 624]);
    expect([x(0), x(20), x(40)]).toEqual([56, 340, 624]);
    const y = linearScale([2, 6], [244, 24]);
    expect([y(2), y(4), y(6)]).toEqual([244, 134, 24]);
    expect(linearScale([3, 3], [0, 100])(3)).toBe(50);
  });
});

describe('linePath', () => {
  const x = linearScale([0, 10], [0, 100]);
  const y = linearScale([0, 1], [50, 0]);

  it('moves to the first point and draws lines through the rest, scaled', () => {
    expect(linePath([{ x: 0, y: 0 }, { x: 5, y: 0.5 }, { x: 10, y: 1 }], x, y)).toBe('M0.0,50.0 L50.0,25.0 L100.0,0.0');
  });

  it('breaks the line at non-finite values instead of drawing through them', () => {
    expect(linePath([{ x: 0, y: 0 }, { x: 2, y: Number.NaN }, { x: 4, y: 0.2 }, { x: 6, y: 0.4 }], x, y)).toBe('M0.0,50.0 M40.0,40.0 L60.0,30.0');
  });
});

describe('niceTicks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(0, 40, 6)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(2.1, 5.9, 4)).toEqual([3, 4, 5]);
    expect(niceTicks(0.31, 0.39, 4)).toEqual([0.32, 0.34, 0.36, 0.38]);
    expect(niceTicks(1, 1)).toEqual([1]);
  });
});

describe('lineChart', () => {
  it('places the lowest loss at the bottom of the plot and the highest at the top', () => {
    const svg = lineChart({ width: 400, height: 200, series: [{ name: 'loss', color: '#07c', points: [{ x: 0, y: 6 }, { x: 40, y: 2 }] }] });
    const d = /<path d="([^"]+)"/.exec(svg)?.[1];
    expect(d).toBe(`M${MARGIN.left}.0,${MARGIN.top}.0 L${400 - MARGIN.right}.0,${200 - MARGIN.bottom}.0`);
    expect(svg).toContain('<title>loss</title>');
  });

  it('says so when there is nothing to draw, and escapes series names', () => {
    expect(lineChart({ series: [{ name: 'loss', color: '#000', points: [] }] })).toContain('no training progress recorded');
    expect(lineChart({ series: [{ name: '<b>', color: '#000', points: [{ x: 1, y: 1 }] }] })).toContain('&lt;b&gt;');
  });
});

describe('barChart', () => {
  it('draws bars proportional to their values, the largest full width, highlight marked', () => {
    const svg = barChart({ width: 400, labelWidth: 100, bars: [{ label: 'sotu@1', value: 50 }, { label: 'sotu@2', value: 100, highlight: true }, { label: 'x', value: 0 }] });
    const widths = [...svg.matchAll(/<rect [^>]*width="([^"]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([114, 228, 0]);
    expect(svg).toContain('class="bar hl"');
  });

  it('honours a fixed maximum (rates out of 1) and clamps overflow', () => {
    const svg = barChart({ width: 400, labelWidth: 100, max: 1, bars: [{ label: 'a', value: 0.25 }, { label: 'b', value: 3 }] });
    expect([...svg.matchAll(/<rect [^>]*width="([^"]+)"/g)].map((m) => Number(m[1]))).toEqual([57, 228]);
  });
});
