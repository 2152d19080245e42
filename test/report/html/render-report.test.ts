import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/report/html/render-report.ts';
import { buildFixtureReport } from '../fixture-report.ts';

let fixture: Awaited<ReturnType<typeof buildFixtureReport>>;

beforeAll(async () => {
  fixture = await buildFixtureReport(await mkdtemp(join(tmpdir(), 'tiersync-render-')), 400);
});

describe('renderReport', () => {
  it('is byte-identical for the same model', () => {
    expect(renderReport(fixture.model)).toBe(fixture.html);
  });

  it('is self-contained: no script, stylesheet link, or URL other than the SVG namespace', () => {
    const html = fixture.html;
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^\s"')]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('draws every chart, with the as-of date and the shop currency', () => {
    for (const id of ['tier-sizes', 'tier-average-ltv', 'pareto', 'revenue-share', 'recency-by-tier', 'rf-heatmap', 'cohort-revenue', 'migration-0', 'migration-1', 'migration-2', 'churn-risk', 'list-sizes', 'rfm-segments', 'lift-intervals']) {
      expect(fixture.html).toContain(`data-chart="${id}"`);
    }
    expect(fixture.html).toContain('As of <strong>2026-11-25</strong>');
    expect(fixture.html).toContain('average LTV (EUR)');
  });

  it('has the playbook section: the overview, then each segment with its strategy, platform setup and size check', () => {
    expect(fixture.html).toContain('<h2>Playbook</h2>');
    expect(fixture.html).toContain('<th>Live: Shopify segment / Klaviyo list</th>');
    expect(fixture.html).toContain('<h3 id="playbook-vip">VIP</h3><dl class="playbook"><dt>Email cadence</dt><dd>2–3x/week</dd>');
    expect(fixture.html).toContain('<dt>Shopify segment</dt><dd>&quot;tiersync: VIP&quot; (customer_tags CONTAINS &#39;ltv:vip&#39;)</dd>');
    expect(fixture.html).toContain('<h3 id="playbook-suppressed">Suppressed (overlay)</h3>');
    expect(fixture.html).toContain('<dt>Size check</dt><dd>not checked (run with Shopify and Klaviyo credentials to compare live sizes)</dd>');
  });

  it('shows the lift per segment, its interval, and says when a segment is too small for one', () => {
    expect(fixture.html).toContain('<tr data-segment="vip"><td>VIP</td><td>40</td><td>35.0%</td><td>50.00 EUR</td><td>30</td><td>20.0%</td><td>16.00 EUR</td><td>34.00 EUR</td><td>212.5%</td><td>5.97 EUR to 62.03 EUR <strong>significant</strong></td></tr>');
    expect(fixture.html).toContain('<tr data-segment="champion"><td>Champions</td>');
    expect(fixture.html).toContain('too small for a meaningful interval (under 30 treated or held out)');
    expect(fixture.html).toContain('95% Welch t interval on the difference in revenue per customer');
    expect(renderReport({ ...fixture.model, lift: null })).toContain('No holdout yet');
  });

  it('escapes the shop name', () => {
    expect(fixture.html).toContain('demo &lt;shop&gt; &amp; co');
    expect(fixture.html).not.toContain('demo <shop>');
  });

  it('says when a migration window has no snapshot', () => {
    const model = { ...fixture.model, migrations: [{ label: '~90 days ago', target: Date.UTC(2026, 7, 27), snapshot: null, report: null }] };
    expect(renderReport(model)).toContain('No snapshot at or before 2026-08-27');
  });

  it('lists health warnings, and the previous run\'s migration warnings', () => {
    const summary = { ...fixture.model.summary, warnings: [{ code: 'segment_too_small' as const, message: 'Champions has 4 customers <tiny>' }] };
    const [previous, ...rest] = fixture.model.migrations;
    const migrations = [{ ...previous!, report: { ...previous!.report!, warnings: ['top tiers: 9.0% moved down'] } }, ...rest];
    const html = renderReport({ ...fixture.model, summary, migrations });
    expect(html).toContain('<li class="warning">Champions has 4 customers &lt;tiny&gt;</li>');
    expect(html).toContain('<li class="warning">migration since the previous run: top tiers: 9.0% moved down</li>');
  });
});
