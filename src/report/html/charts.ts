import { element, escapeXml, heatColour, niceAxis, px, seriesColour } from './svg.ts';

/**
 * The report's chart types as inline SVG strings. Every drawn datum carries `data-*`
 * attributes (series, label, value) so that a browser test, or a curious reader, can check
 * what a chart shows without reading pixels.
 */

export interface ChartFrame {
  /** Stable id, written as `data-chart` on the `<svg>`. */
  readonly id: string;
  /** Accessible title (also the SVG `<title>`). */
  readonly title: string;
  /** Axis captions, with units, e.g. "customers" or "revenue per customer (USD)". */
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
}

interface Plot {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

const MARGIN = { top: 36, right: 24, bottom: 64, left: 104 };

function plotArea(frame: ChartFrame, extraBottom = 0): Plot {
  const width = frame.width ?? 720;
  const height = (frame.height ?? 320) + extraBottom;
  return { width, height, left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom - extraBottom };
}

function svgRoot(frame: ChartFrame, plot: Plot, inner: string): string {
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${plot.width} ${plot.height}`,
      width: plot.width,
      height: plot.height,
      role: 'img',
      'aria-label': frame.title,
      'data-chart': frame.id,
      class: 'chart',
    },
    `<title>${escapeXml(frame.title)}</title>${inner}`,
  );
}

/** Horizontal grid lines and labels of a value axis, plus both axis captions. */
function valueAxis(plot: Plot, frame: ChartFrame, ticks: readonly number[], max: number, format: (value: number) => string): string {
  const y = (value: number) => plot.bottom - ((plot.bottom - plot.top) * value) / max;
  const lines = ticks.map(
    (tick) =>
      element('line', { class: 'grid', x1: plot.left, x2: plot.right, y1: y(tick), y2: y(tick) }) +
      element('text', { class: 'tick', x: plot.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, escapeXml(format(tick))),
  );
  return lines.join('') + axisCaptions(plot, frame);
}

function axisCaptions(plot: Plot, frame: ChartFrame): string {
  const middleY = (plot.top + plot.bottom) / 2;
  return (
    element('text', { class: 'axis-label', x: (plot.left + plot.right) / 2, y: plot.height - 8, 'text-anchor': 'middle' }, escapeXml(frame.xLabel)) +
    element('text', { class: 'axis-label', x: 16, y: middleY, 'text-anchor': 'middle', transform: `rotate(-90 16 ${px(middleY)})` }, escapeXml(frame.yLabel))
  );
}

/** Category labels under the plot; rotated when there are many. */
function categoryLabels(plot: Plot, labels: readonly string[], centre: (index: number) => number): string {
  const rotate = labels.length > 10;
  return labels
    .map((label, index) => {
      const x = centre(index);
      const y = plot.bottom + 16;
      return element(
        'text',
        { class: 'category', x, y, 'text-anchor': rotate ? 'end' : 'middle', transform: rotate ? `rotate(-45 ${px(x)} ${px(y)})` : undefined },
        escapeXml(label),
      );
    })
    .join('');
}

function legend(plot: Plot, names: readonly string[]): string {
  let x = plot.left;
  return names
    .map((name, index) => {
      const item =
        element('rect', { x, y: 10, width: 12, height: 12, fill: seriesColour(index) }) +
        element('text', { class: 'legend', x: x + 16, y: 20 }, escapeXml(name));
      x += 28 + name.length * 7;
      return item;
    })
    .join('');
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface BarChartOptions extends ChartFrame {
  readonly bars: readonly Bar[];
  /** Formats axis ticks and the value printed above each bar (include the unit where it helps). */
  readonly format: (value: number) => string;
}

/**
 * One vertical bar per category, its value printed above it.
 *
 * @example
 * barChart({ id: 'tiers', title: 'Customers by tier', xLabel: 'tier', yLabel: 'customers',
 *   bars: [{ label: 'VIP', value: 90 }], format: String })
 */
export function barChart(options: BarChartOptions): string {
  const plot = plotArea(options);
  const axis = niceAxis(Math.max(0, ...options.bars.map((bar) => bar.value)));
  const slot = (plot.right - plot.left) / Math.max(1, options.bars.length);
  const barWidth = slot * 0.7;
  const y = (value: number) => plot.bottom - ((plot.bottom - plot.top) * Math.max(0, value)) / axis.max;
  const bars = options.bars.map((bar, index) => {
    const x = plot.left + slot * index + (slot - barWidth) / 2;
    const top = y(bar.value);
    const text = options.format(bar.value);
    return (
      element(
        'rect',
        { class: 'bar', x, y: top, width: barWidth, height: plot.bottom - top, fill: seriesColour(0), 'data-label': bar.label, 'data-value': String(bar.value) },
        `<title>${escapeXml(`${bar.label}: ${text}`)}</title>`,
      ) + element('text', { class: 'value', x: x + barWidth / 2, y: top - 4, 'text-anchor': 'middle' }, escapeXml(text))
    );
  });
  const inner =
    valueAxis(plot, options, axis.ticks, axis.max, options.format) +
    bars.join('') +
    categoryLabels(plot, options.bars.map((bar) => bar.label), (index) => plot.left + slot * (index + 0.5)) +
    element('line', { class: 'axis', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom });
  return svgRoot(options, plot, inner);
}

export interface Series {
  readonly name: string;
  /** One value per category; null draws nothing (e.g. a window not reached yet). */
  readonly values: readonly (number | null)[];
}

export interface MultiBarChartOptions extends ChartFrame {
  readonly mode: 'grouped' | 'stacked';
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  readonly format: (value: number) => string;
}

/**
 * Several series per category, side by side (`grouped`) or on top of each other (`stacked`),
 * with a legend.
 *
 * @example
 * multiBarChart({ id: 'recency', title: 'Recency by tier', xLabel: 'tier', yLabel: 'customers', mode: 'stacked',
 *   categories: ['VIP', 'Mid-Tier'], series: [{ name: 'active', values: [5, 20] }], format: String })
 */
export function multiBarChart(options: MultiBarChartOptions): string {
  const rotate = options.categories.length > 10;
  const plot = plotArea(options, rotate ? 24 : 0);
  const stackTotals = options.categories.map((_, c) => options.series.reduce((sum, s) => sum + Math.max(0, s.values[c] ?? 0), 0));
  const dataMax =
    options.mode === 'stacked' ? Math.max(0, ...stackTotals) : Math.max(0, ...options.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const axis = niceAxis(dataMax);
  const slot = (plot.right - plot.left) / Math.max(1, options.categories.length);
  const groupWidth = slot * 0.8;
  const barWidth = options.mode === 'stacked' ? groupWidth : groupWidth / Math.max(1, options.series.length);
  const scale = (value: number) => ((plot.bottom - plot.top) * Math.max(0, value)) / axis.max;
  const rects: string[] = [];
  options.categories.forEach((category, c) => {
    let stacked = 0;
    options.series.forEach((series, s) => {
      const value = series.values[c];
      if (value === null || value === undefined) return;
      const height = scale(value);
      const x = plot.left + slot * c + (slot - groupWidth) / 2 + (options.mode === 'grouped' ? barWidth * s : 0);
      const y = plot.bottom - height - (options.mode === 'stacked' ? stacked : 0);
      stacked += height;
      rects.push(
        element(
          'rect',
          {
            class: 'bar',
            x,
            y,
            width: barWidth,
            height,
            fill: seriesColour(s),
            'data-series': series.name,
            'data-category': category,
            'data-value': String(value),
          },
          `<title>${escapeXml(`${category}, ${series.name}: ${options.format(value)}`)}</title>`,
        ),
      );
    });
  });
  const inner =
    legend(plot, options.series.map((s) => s.name)) +
    valueAxis(plot, options, axis.ticks, axis.max, options.format) +
    rects.join('') +
    categoryLabels(plot, options.categories, (index) => plot.left + slot * (index + 0.5)) +
    element('line', { class: 'axis', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom });
  return svgRoot(options, plot, inner);
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LineChartOptions extends ChartFrame {
  /** Both axes run from 0 to these maxima. */
  readonly xMax: number;
  readonly yMax: number;
  readonly series: readonly { readonly name: string; readonly points: readonly Point[] }[];
  /** Shaded horizontal bands, e.g. the healthy 60–80% revenue share. */
  readonly bands?: readonly { readonly from: number; readonly to: number; readonly label: string }[];
  /** Dashed vertical lines, e.g. the top-20% cut. */
  readonly markers?: readonly { readonly x: number; readonly label: string }[];
  readonly formatX: (value: number) => string;
  readonly formatY: (value: number) => string;
}

/**
 * Lines over a 0–xMax × 0–yMax plane, with optional bands and vertical markers.
 *
 * @example
 * lineChart({ id: 'pareto', title: 'Pareto', xLabel: 'customers (%)', yLabel: 'revenue (%)', xMax: 1, yMax: 1,
 *   series: [{ name: 'cumulative LTV', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }], formatX: String, formatY: String })
 */
export function lineChart(options: LineChartOptions): string {
  const plot = plotArea(options);
  const sx = (x: number) => plot.left + ((plot.right - plot.left) * x) / options.xMax;
  const sy = (y: number) => plot.bottom - ((plot.bottom - plot.top) * y) / options.yMax;
  const yTicks = Array.from({ length: 6 }, (_, i) => (options.yMax * i) / 5);
  const xTicks = Array.from({ length: 11 }, (_, i) => (options.xMax * i) / 10);
  const bands = (options.bands ?? []).map(
    (band) =>
      element('rect', { class: 'band', x: plot.left, y: sy(band.to), width: plot.right - plot.left, height: sy(band.from) - sy(band.to), 'data-band': band.label }) +
      element('text', { class: 'band-label', x: plot.right - 4, y: sy(band.to) + 14, 'text-anchor': 'end' }, escapeXml(band.label)),
  );
  const markers = (options.markers ?? []).map(
    (marker) =>
      element('line', { class: 'marker', x1: sx(marker.x), x2: sx(marker.x), y1: plot.top, y2: plot.bottom, 'data-marker': marker.label }) +
      element('text', { class: 'marker-label', x: sx(marker.x) + 4, y: plot.top + 12 }, escapeXml(marker.label)),
  );
  const lines = options.series.map((series, index) =>
    element('polyline', {
      class: 'series',
      fill: 'none',
      stroke: seriesColour(index),
      'stroke-width': 2.5,
      points: series.points.map((p) => `${px(sx(p.x))},${px(sy(p.y))}`).join(' '),
      'data-series': series.name,
      'data-points': String(series.points.length),
    }),
  );
  const xLabels = xTicks.map((tick) =>
    element('text', { class: 'tick', x: sx(tick), y: plot.bottom + 16, 'text-anchor': 'middle' }, escapeXml(options.formatX(tick))),
  );
  const inner =
    bands.join('') +
    valueAxis(plot, options, yTicks, options.yMax, options.formatY) +
    xLabels.join('') +
    markers.join('') +
    lines.join('') +
    legend(plot, options.series.map((s) => s.name)) +
    element('line', { class: 'axis', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom });
  return svgRoot(options, plot, inner);
}

export interface HeatMapOptions extends ChartFrame {
  /** Row labels, top to bottom, and column labels, left to right. */
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** values[row][column]. */
  readonly values: readonly (readonly number[])[];
  readonly format: (value: number) => string;
}

/**
 * A grid of cells shaded by value (relative to the largest), each printing its value.
 *
 * @example
 * heatMap({ id: 'rf', title: 'R × F', xLabel: 'F score', yLabel: 'R score', rows: ['2', '1'], columns: ['1', '2'],
 *   values: [[1, 2], [3, 4]], format: String })
 */
export function heatMap(options: HeatMapOptions): string {
  const plot = plotArea(options);
  const max = Math.max(0, ...options.values.flat());
  const cellWidth = (plot.right - plot.left) / Math.max(1, options.columns.length);
  const cellHeight = (plot.bottom - plot.top) / Math.max(1, options.rows.length);
  const cells = options.rows.flatMap((row, r) =>
    options.columns.map((column, c) => {
      const value = options.values[r]?.[c] ?? 0;
      const intensity = max > 0 ? value / max : 0;
      const x = plot.left + c * cellWidth;
      const y = plot.top + r * cellHeight;
      return (
        element(
          'rect',
          {
            class: 'cell',
            x,
            y,
            width: cellWidth,
            height: cellHeight,
            fill: heatColour(intensity),
            'data-row': row,
            'data-column': column,
            'data-value': String(value),
          },
          `<title>${escapeXml(`${options.yLabel} ${row}, ${options.xLabel} ${column}: ${options.format(value)}`)}</title>`,
        ) +
        element(
          'text',
          { class: intensity > 0.5 ? 'cell-value dark' : 'cell-value', x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, 'text-anchor': 'middle' },
          escapeXml(options.format(value)),
        )
      );
    }),
  );
  const rowLabels = options.rows.map((row, r) =>
    element('text', { class: 'tick', x: plot.left - 6, y: plot.top + (r + 0.5) * cellHeight + 4, 'text-anchor': 'end' }, escapeXml(row)),
  );
  const inner =
    cells.join('') +
    rowLabels.join('') +
    categoryLabels(plot, options.columns, (c) => plot.left + (c + 0.5) * cellWidth) +
    axisCaptions(plot, options);
  return svgRoot(options, plot, inner);
}

export interface IntervalRow {
  readonly label: string;
  readonly estimate: number;
  /** The interval, or null when there is none to draw (the row says why). */
  readonly interval: readonly [number, number] | null;
  /** Shown in place of a missing interval. */
  readonly note?: string;
}

export interface IntervalChartOptions extends ChartFrame {
  readonly rows: readonly IntervalRow[];
  readonly format: (value: number) => string;
  /** Axis tick labels (shorter than `format`, which titles each mark); default `format`. */
  readonly tickFormat?: (value: number) => string;
}

/**
 * Estimates with their intervals, one row each, around a zero line (a forest plot): an
 * interval that does not cross zero is a difference the data can tell from none.
 *
 * @example
 * intervalChart({ id: 'lift', title: 'Lift', xLabel: 'difference (USD)', yLabel: 'segment',
 *   rows: [{ label: 'VIP', estimate: 3400, interval: [597, 6203] }], format: String })
 */
export function intervalChart(options: IntervalChartOptions): string {
  const rowHeight = 36;
  const plot = plotArea({ ...options, height: options.height ?? MARGIN.top + MARGIN.bottom + rowHeight * Math.max(1, options.rows.length) });
  const extent = Math.max(1, ...options.rows.flatMap((row) => [Math.abs(row.estimate), ...(row.interval ?? []).map(Math.abs)]));
  const axis = niceAxis(extent, 3);
  const tickFormat = options.tickFormat ?? options.format;
  const x = (value: number) => plot.left + ((plot.right - plot.left) * (value + axis.max)) / (2 * axis.max);
  const ticks = [...axis.ticks.filter((t) => t > 0).map((t) => -t).reverse(), ...axis.ticks];
  const grid = ticks.map(
    (tick) =>
      element('line', { class: tick === 0 ? 'axis' : 'grid', x1: x(tick), x2: x(tick), y1: plot.top, y2: plot.bottom }) +
      element('text', { class: 'tick', x: x(tick), y: plot.bottom + 16, 'text-anchor': 'middle' }, escapeXml(tickFormat(tick))),
  );
  const rows = options.rows.map((row, index) => {
    const y = plot.top + rowHeight * (index + 0.5);
    const label = element('text', { class: 'category', x: plot.left - 6, y: y + 4, 'text-anchor': 'end' }, escapeXml(row.label));
    const point = element(
      'circle',
      { class: 'estimate', cx: x(row.estimate), cy: y, r: 4, fill: seriesColour(0), 'data-label': row.label, 'data-value': String(row.estimate) },
      `<title>${escapeXml(`${row.label}: ${options.format(row.estimate)}`)}</title>`,
    );
    if (!row.interval) {
      // The note reads towards the middle, so that it stays inside the plot.
      const right = x(row.estimate) > (plot.left + plot.right) / 2;
      const note = element('text', { class: 'value', x: x(row.estimate) + (right ? -8 : 8), y: y - 8, 'text-anchor': right ? 'end' : 'start' }, escapeXml(row.note ?? 'no interval'));
      return label + point + note;
    }
    const [low, high] = row.interval;
    const line = element(
      'line',
      { class: 'interval', x1: x(low), x2: x(high), y1: y, y2: y, stroke: seriesColour(0), 'stroke-width': 2, 'data-label': row.label, 'data-low': String(low), 'data-high': String(high) },
      `<title>${escapeXml(`${row.label}: ${options.format(low)} to ${options.format(high)}`)}</title>`,
    );
    const caps = [low, high].map((end) => element('line', { x1: x(end), x2: x(end), y1: y - 6, y2: y + 6, stroke: seriesColour(0), 'stroke-width': 2 })).join('');
    return label + line + caps + point;
  });
  return svgRoot(options, plot, grid.join('') + rows.join('') + axisCaptions(plot, options));
}
