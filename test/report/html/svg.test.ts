import { describe, expect, it } from 'vitest';
import { element, escapeXml, heatColour, niceAxis, px, seriesColour } from '../../../src/report/html/svg.ts';

describe('svg primitives', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });

  it('rounds coordinates to 0.1 px without trailing zeros or negative zero', () => {
    expect(px(12.345)).toBe('12.3');
    expect(px(40)).toBe('40');
    expect(px(-0.01)).toBe('0');
  });

  it('writes elements with escaped attributes, omitting undefined ones', () => {
    expect(element('rect', { x: 1.26, 'data-label': 'a"b', y: undefined })).toBe('<rect x="1.3" data-label="a&quot;b"/>');
    expect(element('text', { x: 0 }, 'hi')).toBe('<text x="0">hi</text>');
  });

  it('picks round axis steps of 1, 2 or 5 × 10^k', () => {
    expect(niceAxis(87)).toEqual({ max: 100, ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceAxis(25)).toEqual({ max: 25, ticks: [0, 5, 10, 15, 20, 25] });
    expect(niceAxis(3627).max).toBe(4000);
    expect(niceAxis(0.3)).toEqual({ max: 0.3, ticks: [0, 0.1, 0.2, 0.3] });
    expect(niceAxis(0)).toEqual({ max: 1, ticks: [0, 1] });
  });

  it('maps heat from white to dark blue and cycles the palette', () => {
    expect(heatColour(0)).toBe('rgb(255,255,255)');
    expect(heatColour(1)).toBe('rgb(8,48,107)');
    expect(heatColour(0.5)).toBe('rgb(132,152,181)');
    expect(seriesColour(8)).toBe(seriesColour(0));
  });
});
