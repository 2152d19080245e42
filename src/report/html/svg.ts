/**
 * Primitives for the report's hand-made SVG charts: escaping, stable coordinates, nice axis
 * ticks and colours. Charts are strings, rendered without a DOM, byte-identical for the
 * same input.
 */

/**
 * Escapes text for XML/HTML content and attribute values.
 *
 * @example
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * A coordinate rounded to 0.1 px, without a trailing `.0`: short and stable output.
 *
 * @example
 * px(12.345) // '12.3'
 * px(40)     // '40'
 */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * An SVG/HTML element with attributes (escaped; undefined ones omitted) and raw inner markup.
 *
 * @example
 * element('rect', { x: 1, y: 2, class: 'bar' }) // '<rect x="1" y="2" class="bar"/>'
 */
export function element(name: string, attributes: Record<string, string | number | undefined>, inner?: string): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? px(value) : value)}"`)
    .join('');
  return inner === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${inner}</${name}>`;
}

export interface Axis {
  /** Top of the axis: a round number ≥ the data maximum. */
  readonly max: number;
  /** Tick values from 0 to `max`, evenly spaced by 1, 2 or 5 × a power of ten. */
  readonly ticks: number[];
}

/**
 * A value axis from 0 with about `targetTicks` round steps (1, 2 or 5 × 10^k).
 *
 * @example
 * niceAxis(87) // { max: 100, ticks: [0, 20, 40, 60, 80, 100] }
 */
export function niceAxis(dataMax: number, targetTicks = 5): Axis {
  if (!(dataMax > 0)) return { max: 1, ticks: [0, 1] };
  const rough = dataMax / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalised = rough / magnitude;
  const step = (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10) * magnitude;
  const count = Math.ceil(dataMax / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { max: ticks.at(-1)!, ticks };
}

/** A fixed palette, readable on white and for the common colour-vision deficiencies (Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/**
 * The i-th series colour (wraps around).
 *
 * @example
 * seriesColour(0) // '#0072B2'
 */
export function seriesColour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/**
 * A heat-map fill from white (0) to dark blue (1), as `rgb(r,g,b)` with whole channels.
 *
 * @example
 * heatColour(0) // 'rgb(255,255,255)'
 * heatColour(1) // 'rgb(8,48,107)'
 */
export function heatColour(intensity: number): string {
  const t = Math.min(1, Math.max(0, intensity));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${mix(255, 8)},${mix(255, 48)},${mix(255, 107)})`;
}
