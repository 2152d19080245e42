import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { buildFixtureReport } from './fixture-report.ts';

const OUTPUT_DIR = resolve(import.meta.dirname, '../../test-output');

interface DrawnChart {
  id: string;
  width: number;
  height: number;
  marks: { cls: string; label: string | null; series: string | null; category: string | null; row: string | null; value: number | null; visibleHeight: number }[];
  polylinePoints: number[];
  intervals: { label: string | null; low: number; high: number; width: number }[];
}

describe('the HTML report in Chromium', () => {
  it('renders every chart with the computed series, offline and without console errors', async () => {
    const { model, collected, html } = await buildFixtureReport(await mkdtemp(join(tmpdir(), 'tiersync-browser-')));
    await mkdir(OUTPUT_DIR, { recursive: true });
    const htmlPath = join(OUTPUT_DIR, 'report.html');
    await writeFile(htmlPath, html);
    const url = pathToFileURL(htmlPath).href;

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(url, { waitUntil: 'load' });

      const charts: DrawnChart[] = await page.$$eval('svg[data-chart]', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const marks = [...svg.querySelectorAll('rect.bar, rect.cell')].map((mark) => ({
            cls: mark.getAttribute('class')!,
            label: mark.getAttribute('data-label'),
            series: mark.getAttribute('data-series'),
            category: mark.getAttribute('data-category'),
            row: mark.getAttribute('data-row'),
            value: mark.hasAttribute('data-value') ? Number(mark.getAttribute('data-value')) : null,
            visibleHeight: mark.getBoundingClientRect().height,
          }));
          const line = svg.querySelector('polyline.series');
          const polylinePoints = line ? [(line as SVGPolylineElement).points.numberOfItems] : [];
          const intervals = [...svg.querySelectorAll('line.interval')].map((line) => ({
            label: line.getAttribute('data-label'),
            low: Number(line.getAttribute('data-low')),
            high: Number(line.getAttribute('data-high')),
            width: line.getBoundingClientRect().width,
          }));
          return { id: svg.getAttribute('data-chart')!, width: box.width, height: box.height, marks, polylinePoints, intervals };
        }),
      );
      await page.screenshot({ path: join(OUTPUT_DIR, 'report.png'), fullPage: true });

      const byId = new Map(charts.map((chart) => [chart.id, chart]));
      expect([...byId.keys()].sort()).toEqual(
        ['churn-risk', 'cohort-revenue', 'list-sizes', 'migration-0', 'migration-1', 'migration-2', 'pareto', 'recency-by-tier', 'revenue-share', 'rf-heatmap', 'rfm-segments', 'lift-intervals', 'tier-average-ltv', 'tier-sizes'].sort(),
      );
      for (const chart of charts) {
        expect(chart.width, chart.id).toBeGreaterThan(100);
        expect(chart.height, chart.id).toBeGreaterThan(100);
        if (chart.id !== 'pareto' && chart.id !== 'lift-intervals') expect(chart.marks.some((mark) => mark.visibleHeight > 0), chart.id).toBe(true);
      }

      // Expected figures counted here from the segments, not taken from the report model.
      const { segments } = collected;
      const count = (predicate: (s: (typeof segments)[number]) => boolean) => segments.filter(predicate).length;
      const tierIds = model.tiers.map((t) => t.id);
      expect(byId.get('tier-sizes')!.marks.map((m) => [m.label, m.value])).toEqual(
        model.tiers.map((tier) => [tier.label, count((s) => s.tier === tier.id)]),
      );
      const total = (id: string) => byId.get(id)!.marks.reduce((sum, mark) => sum + (mark.value ?? 0), 0);
      expect(total('recency-by-tier')).toBe(segments.length);
      expect(byId.get('rf-heatmap')!.marks).toHaveLength(25);
      expect(total('rf-heatmap')).toBe(segments.length);
      expect(byId.get('rfm-segments')!.marks).toHaveLength(11 * tierIds.length);
      expect(total('rfm-segments')).toBe(segments.length);
      // The fixture's lift: VIP has an interval (drawn, visibly wide), Champions is too small for one.
      const intervals = byId.get('lift-intervals')!.intervals;
      expect(intervals.map(({ label, low, high }) => [label, low, high])).toEqual([['VIP', 597, 6203]]);
      expect(intervals[0]!.width).toBeGreaterThan(20);
      expect(total('churn-risk')).toBe(count((s) => s.tier === 'champion' || s.tier === 'vip'));
      expect(byId.get('list-sizes')!.marks.map((m) => m.value)).toEqual([
        count((s) => s.atRisk),
        count((s) => s.lapsed === 'high_value'),
        count((s) => s.lapsed === 'low_value'),
        count((s) => s.suppressed),
        count((s) => s.reactivationDue),
      ]);
      for (const id of ['migration-0', 'migration-1', 'migration-2']) expect(total(id), id).toBe(segments.length);
      // 100 days ago (the fixture's snapshot) everyone was mid-tier: one row, spread over today's tiers.
      const quarter = byId.get('migration-2')!.marks;
      expect(new Set(quarter.map((m) => m.row))).toEqual(new Set(['Mid-Tier']));
      expect(quarter.filter((m) => m.value! > 0)).toHaveLength(tierIds.length);
      const cohortSeries = new Set(byId.get('cohort-revenue')!.marks.map((m) => m.series));
      expect(cohortSeries).toEqual(new Set(['90 days', '180 days', '365 days']));
      expect(new Set(byId.get('cohort-revenue')!.marks.map((m) => m.category)).size).toBeGreaterThan(12);
      expect(byId.get('pareto')!.polylinePoints).toEqual([101]);

      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });
});
