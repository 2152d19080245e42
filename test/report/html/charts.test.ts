import { describe, expect, it } from 'vitest';
import { barChart, heatMap, lineChart, multiBarChart } from '../../../src/report/html/charts.ts';

/** Attributes of every element with the given class, in document order. */
function elements(svg: string, className: string): Record<string, string>[] {
  const tags = svg.match(new RegExp(`<(rect|polyline|line)[^>]*class="${className}"[^>]*>`, 'g')) ?? [];
  return tags.map((tag) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])));
}

const frame = { title: 'T', xLabel: 'x axis', yLabel: 'y axis (USD)' };
// Default frame: 720 × 320, margins top 36, bottom 64, left 104, right 24: plot 104..696 × 36..256 (220 px high).

describe('barChart', () => {
  const svg = barChart({ ...frame, id: 'b', bars: [{ label: 'A', value: 10 }, { label: 'B <&>', value: 0 }, { label: 'C', value: 25 }], format: String });

  it('draws one bar per datum with its label and value, heights on a 0–25 axis', () => {
    const bars = elements(svg, 'bar');
    expect(bars.map((b) => [b['data-label'], b['data-value']])).toEqual([['A', '10'], ['B &lt;&amp;&gt;', '0'], ['C', '25']]);
    expect(bars.map((b) => Number(b.height))).toEqual([88, 0, 220]);
    expect(bars.map((b) => Number(b.y))).toEqual([168, 256, 36]);
  });

  it('labels the chart and both axes', () => {
    expect(svg).toContain('data-chart="b"');
    expect(svg).toContain('<title>T</title>');
    expect(svg).toContain('>x axis</text>');
    expect(svg).toContain('>y axis (USD)</text>');
  });
});

describe('multiBarChart', () => {
  const series = [
    { name: 's1', values: [1, 2] },
    { name: 's2', values: [3, null] },
  ];

  it('stacks series on one bar per category, skipping nulls', () => {
    const bars = elements(multiBarChart({ ...frame, id: 'm', mode: 'stacked', categories: ['A', 'B'], series, format: String }), 'bar');
    expect(bars.map((b) => `${b['data-category']}/${b['data-series']}=${b['data-value']}`)).toEqual(['A/s1=1', 'A/s2=3', 'B/s1=2']);
    // Axis 0–4 (niceAxis(4)): 55 px per unit. A/s2 sits on A/s1.
    const [a1, a2] = bars;
    expect(Number(a1!.height)).toBe(55);
    expect(Number(a2!.height)).toBe(165);
    expect(Number(a2!.y) + Number(a2!.height)).toBe(Number(a1!.y));
    expect(a1!.x).toBe(a2!.x);
  });

  it('places grouped series side by side on an axis of the largest value', () => {
    const bars = elements(multiBarChart({ ...frame, id: 'g', mode: 'grouped', categories: ['A', 'B'], series, format: String }), 'bar');
    const [a1, a2] = bars;
    expect(Number(a2!.x)).toBeGreaterThan(Number(a1!.x));
    expect(Number(a1!.y) + Number(a1!.height)).toBe(256);
    // Axis 0–3: A/s2 = 3 is full height.
    expect(Number(a2!.height)).toBe(220);
  });
});

describe('lineChart', () => {
  it('maps (0,0) to the bottom-left and (1,1) to the top-right, with bands and markers', () => {
    const svg = lineChart({
      ...frame,
      id: 'l',
      xMax: 1,
      yMax: 1,
      series: [{ name: 'curve', points: [{ x: 0, y: 0 }, { x: 0.5, y: 0.8 }, { x: 1, y: 1 }] }],
      bands: [{ from: 0.6, to: 0.8, label: 'healthy' }],
      markers: [{ x: 0.2, label: 'top 20%' }],
      formatX: String,
      formatY: String,
    });
    const [line] = elements(svg, 'series');
    expect(line!.points).toBe('104,256 400,80 696,36');
    expect(line!['data-points']).toBe('3');
    const [band] = elements(svg, 'band');
    expect([Number(band!.y), Number(band!.height)]).toEqual([80, 44]);
    const [marker] = elements(svg, 'marker');
    expect(Number(marker!.x1)).toBeCloseTo(104 + 0.2 * 592, 1);
  });
});

describe('heatMap', () => {
  it('draws one cell per row and column, shaded relative to the largest value', () => {
    const svg = heatMap({ ...frame, id: 'h', rows: ['r1', 'r2'], columns: ['c1', 'c2', 'c3'], values: [[0, 1, 2], [3, 4, 8]], format: String });
    const cells = elements(svg, 'cell');
    expect(cells).toHaveLength(6);
    expect(cells.map((c) => c['data-value'])).toEqual(['0', '1', '2', '3', '4', '8']);
    expect(cells[0]!.fill).toBe('rgb(255,255,255)');
    expect(cells[5]!.fill).toBe('rgb(8,48,107)');
    expect(cells[3]).toMatchObject({ 'data-row': 'r2', 'data-column': 'c1' });
  });
});
