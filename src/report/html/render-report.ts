import { ABSENT, type MigrationReport } from '../../core/migration.ts';
import { barChart, heatMap, intervalChart, lineChart, multiBarChart } from './charts.ts';
import { CHURN_BINS, emptyScoreNotes } from './chart-data.ts';
import { minorDigits } from '../../core/money.ts';
import { formatCount, formatDate, formatMoney, formatPercent } from './format.ts';
import type { MigrationWindow } from './migration-windows.ts';
import { playbookSection } from './playbook-section.ts';
import type { ReportModel } from './report-model.ts';
import { escapeXml } from './svg.ts';

/** System fonts only: the file must render offline, with no web fonts or other requests. */
const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:980px;padding:24px;color:#1a1a1a;background:#fff}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:1.05em;margin:20px 0 6px}p.meta{color:#555;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0;font-size:.9em}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f4f4f4}
.warnings{background:#fff4e5;border:1px solid #f0b35a;padding:8px 16px;border-radius:4px}.ok{background:#eaf7ee;border:1px solid #7cc48f;padding:8px 16px;border-radius:4px}
.outside{color:#b3261e;font-weight:600}.inside{color:#1e7b34}
figure{margin:8px 0 16px}figcaption{color:#555;font-size:.85em}
svg.chart{max-width:100%;height:auto;font-size:11px}svg .grid{stroke:#e5e5e5}svg .axis{stroke:#333}
svg .tick,svg .category,svg .legend,svg .value{fill:#333}svg .axis-label{fill:#333;font-weight:600}
svg .band{fill:#2e9e4f;fill-opacity:.15}svg .band-label{fill:#1e7b34}svg .marker{stroke:#b3261e;stroke-dasharray:4 3}
svg .marker-label{fill:#b3261e}svg .cell{stroke:#fff}svg .cell-value{fill:#1a1a1a}svg .cell-value.dark{fill:#fff}
dl.playbook{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0 12px;font-size:.92em}dl.playbook dt{font-weight:600;color:#333}dl.playbook dd{margin:0}
`;

/**
 * The whole report as one self-contained HTML document: inline CSS and SVG, no script, no
 * external resource. The same model gives the same bytes.
 *
 * @example
 * await writeFile('report.html', renderReport(model));
 */
export function renderReport(model: ReportModel): string {
  const title = `tiersync report${model.shop ? ` — ${model.shop}` : ''}, as of ${formatDate(model.asOf)}`;
  const sections = [
    header(model),
    warningsSection(model),
    tierSection(model),
    revenueSection(model),
    recencySection(model),
    rfSection(model),
    rfmSegmentSection(model),
    cohortSection(model),
    migrationSection(model),
    liftSection(model),
    churnSection(model),
    listsSection(model),
    shopifySection(model),
    playbookSection(model.playbook, model.currency),
    ordersSection(model),
  ];
  return htmlPage(title, sections);
}

/**
 * A self-contained page: the report's style, no script, no external resource (the playbook's
 * HTML uses it too).
 *
 * @example
 * htmlPage('Segment playbook', ['<h1>…</h1>']);
 */
export function htmlPage(title: string, sections: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Forbids every fetch: the report must not touch the network, even by mistake.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeXml(title)}</title><style>${STYLE}</style></head><body>`,
    ...sections,
    '</body></html>',
    '',
  ].join('\n');
}

function header(model: ReportModel): string {
  const s = model.summary;
  return (
    `<h1>${escapeXml(`tiersync report${model.shop ? ` — ${model.shop}` : ''}`)}</h1>` +
    `<p class="meta">As of <strong>${formatDate(model.asOf)}</strong> (UTC) · currency ${escapeXml(model.currency)} · ` +
    `${formatCount(s.customers)} customers (${formatCount(s.matureCustomers)} mature) · total LTV ${escapeXml(formatMoney(s.totalLtvCents, model.currency))} · ` +
    `source: ${escapeXml(model.source)}</p>`
  );
}

function warningsSection(model: ReportModel): string {
  const previous = model.migrations[0]?.report;
  const messages = [...model.summary.warnings.map((w) => w.message), ...(previous?.warnings.map((w) => `migration since the previous run: ${w}`) ?? [])];
  if (!messages.length) return '<h2>Health</h2><div class="ok" id="health">No health warnings.</div>';
  return `<h2>Health</h2><div class="warnings" id="health"><ul>${messages.map((m) => `<li class="warning">${escapeXml(m)}</li>`).join('')}</ul></div>`;
}

function tierSection(model: ReportModel): string {
  const { tiers, customers } = model.summary;
  const money = (cents: number) => formatMoney(cents, model.currency);
  const rows = tiers
    .map(
      (t) =>
        `<tr><td>${escapeXml(t.label)}</td><td>${formatCount(t.customers)}</td><td>${formatPercent(customers ? t.customers / customers : 0)}</td>` +
        `<td>${escapeXml(money(t.averageLtvCents))}</td><td>${formatPercent(t.revenueShare)}</td></tr>`,
    )
    .join('');
  return (
    '<h2>Tiers</h2>' +
    figure(
      barChart({
        id: 'tier-sizes',
        title: `Customers by tier, as of ${formatDate(model.asOf)}`,
        xLabel: 'tier',
        yLabel: 'customers',
        bars: tiers.map((t) => ({ label: t.label, value: t.customers })),
        format: formatCount,
      }),
      'Number of customers in each tier. New customers (first order under the new-customer age) are not ranked.',
    ) +
    figure(
      barChart({
        id: 'tier-average-ltv',
        title: `Average LTV by tier (${model.currency}), as of ${formatDate(model.asOf)}`,
        xLabel: 'tier',
        yLabel: `average LTV (${model.currency})`,
        bars: tiers.map((t) => ({ label: t.label, value: t.averageLtvCents })),
        format: money,
      }),
      `Average LTV per customer in ${model.currency}.`,
    ) +
    `<table id="tier-table"><thead><tr><th>tier</th><th>customers</th><th>share of customers</th><th>average LTV</th><th>revenue share</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function revenueSection(model: ReportModel): string {
  const { pareto, summary } = model;
  const [low, high] = pareto.band;
  const top = summary.topRevenueShare;
  const statement =
    top === null
      ? 'Mature customers have no revenue yet.'
      : `The top ${formatPercent(pareto.topShare)} of mature customers hold <strong>${formatPercent(top)}</strong> of their LTV; healthy is ${formatPercent(low)}–${formatPercent(high)}.`;
  return (
    '<h2>Revenue concentration</h2>' +
    `<p>${statement}</p>` +
    figure(
      lineChart({
        id: 'pareto',
        title: `Cumulative share of LTV by share of mature customers (Pareto curve), as of ${formatDate(model.asOf)}`,
        xLabel: 'mature customers, ranked by LTV, highest first (%)',
        yLabel: 'cumulative share of LTV (%)',
        xMax: 1,
        yMax: 1,
        series: [{ name: 'cumulative LTV share', points: pareto.points }],
        bands: [{ from: low, to: high, label: `healthy ${formatPercent(low)}–${formatPercent(high)} for the top ${formatPercent(pareto.topShare)}` }],
        markers: [{ x: pareto.topShare, label: `top ${formatPercent(pareto.topShare)}` }],
        formatX: (x) => `${Math.round(100 * x)}%`,
        formatY: (y) => `${Math.round(100 * y)}%`,
      }),
      `${formatCount(pareto.matureCustomers)} mature customers. The curve should cross the dashed line inside the shaded band.`,
    ) +
    figure(
      barChart({
        id: 'revenue-share',
        title: `Share of total LTV by tier (%), as of ${formatDate(model.asOf)}`,
        xLabel: 'tier',
        yLabel: 'share of total LTV (%)',
        bars: summary.tiers.map((t) => ({ label: t.label, value: Math.round(1000 * t.revenueShare) / 10 })),
        format: (value) => `${value.toFixed(1)}%`,
      }),
      `Share of the total LTV (${escapeXml(formatMoney(summary.totalLtvCents, model.currency))}) held by each tier.`,
    )
  );
}

function recencySection(model: ReportModel): string {
  return (
    '<h2>Recency by tier</h2>' +
    figure(
      multiBarChart({
        id: 'recency-by-tier',
        title: `Customers by recency bucket within each tier, as of ${formatDate(model.asOf)}`,
        xLabel: 'tier',
        yLabel: 'customers',
        mode: 'stacked',
        categories: model.tiers.map((t) => t.label),
        series: model.recency.buckets.map((bucket, b) => ({ name: bucket, values: model.recency.counts.map((row) => row[b]!) })),
        format: formatCount,
      }),
      'Customers of each tier split by recency bucket (days since the last order, as configured).',
    )
  );
}

function rfSection(model: ReportModel): string {
  const rows = [5, 4, 3, 2, 1];
  return (
    '<h2>Recency × frequency</h2>' +
    figure(
      heatMap({
        id: 'rf-heatmap',
        title: `Customers by R score and F score, as of ${formatDate(model.asOf)}`,
        xLabel: 'F score (1 = fewest orders, 5 = most)',
        yLabel: 'R score (5 = most recent)',
        rows: rows.map(String),
        columns: ['1', '2', '3', '4', '5'],
        values: rows.map((r) => model.rf[r - 1]!),
        format: formatCount,
      }),
      ['Number of customers in each R × F cell. Top right: recent, frequent buyers; bottom left: one-off buyers who have gone quiet.', ...emptyScoreNotes(model.rf)].join(' '),
    )
  );
}

function rfmSegmentSection(model: ReportModel): string {
  const empty = model.rfmSegments.names.filter((_, row) => model.rfmSegments.counts[row]!.every((n) => n === 0));
  const emptyNote = empty.length
    ? ` Empty here: ${empty.join(', ')}; no customer has the R and F scores they need (see the notes on R × F above).`
    : '';
  return (
    '<h2>Named RFM segments</h2>' +
    figure(
      heatMap({
        id: 'rfm-segments',
        title: `Customers by named RFM segment and LTV tier, as of ${formatDate(model.asOf)}`,
        xLabel: 'LTV tier',
        yLabel: 'RFM segment',
        rows: model.rfmSegments.names,
        columns: model.tiers.map((tier) => tier.label),
        values: model.rfmSegments.counts,
        format: formatCount,
        height: 420,
      }),
      'The named segment of each customer\'s R and F scores (the common R × F grid; Lost is its R 1, F 1–2 corner) beside our LTV tiers: ' +
        'a VIP among "At Risk" or "Can\'t Lose Them" has value and is slipping.' +
        emptyNote,
    )
  );
}

/** Treated against held-out customers since assignment, with the 95% intervals drawn. */
function liftSection(model: ReportModel): string {
  if (!model.lift) return '<h2>Holdout lift</h2><p id="lift">No holdout yet: a sync with <code>holdout.share</code> above 0 assigns one.</p>';
  const { readout, minCustomers } = model.lift;
  const money = (cents: number) => formatMoney(cents, model.currency);
  const labelOf = new Map(model.tiers.map((tier) => [tier.id, tier.label]));
  const tooSmall = `too small for a meaningful interval (under ${minCustomers} treated or held out)`;
  const rows = readout.segments
    .map((s) => {
      const interval = s.ci95 ? `${escapeXml(money(s.ci95[0]))} to ${escapeXml(money(s.ci95[1]))}${s.significant ? ' <strong>significant</strong>' : ''}` : escapeXml(tooSmall);
      return (
        `<tr data-segment="${escapeXml(s.segment)}"><td>${escapeXml(labelOf.get(s.segment) ?? s.segment)}</td>` +
        `<td>${formatCount(s.treated.customers)}</td><td>${formatPercent(s.treated.order_rate)}</td><td>${escapeXml(money(s.treated.revenue_per_customer_cents))}</td>` +
        `<td>${formatCount(s.holdout.customers)}</td><td>${formatPercent(s.holdout.order_rate)}</td><td>${escapeXml(money(s.holdout.revenue_per_customer_cents))}</td>` +
        `<td>${escapeXml(money(s.revenue_per_customer_diff_cents))}</td><td>${s.relative_lift === null ? 'n/a' : formatPercent(s.relative_lift)}</td><td>${interval}</td></tr>`
      );
    })
    .join('');
  const chart = intervalChart({
    id: 'lift-intervals',
    title: `Revenue per customer, treated minus holdout, since ${readout.since.slice(0, 10)}`,
    xLabel: `difference in revenue per customer (${model.currency})`,
    yLabel: 'segment',
    rows: readout.segments.map((s) => ({
      label: labelOf.get(s.segment) ?? s.segment,
      estimate: s.revenue_per_customer_diff_cents,
      interval: s.ci95,
      note: 'too small for an interval',
    })),
    format: (cents) => formatMoney(cents, model.currency),
    tickFormat: (cents) => `${formatCount(cents / 10 ** minorDigits(model.currency))} ${model.currency}`,
  });
  return (
    '<h2>Holdout lift</h2>' +
    `<p id="lift">Customers held out of the action lists against those treated, by segment at assignment, counting orders since each customer's assignment (from ${escapeXml(readout.since)}). ` +
    'Interval: 95% Welch t interval on the difference in revenue per customer; significant when it excludes zero.</p>' +
    '<table id="lift-table"><thead><tr><th>Segment</th><th>Treated</th><th>Order rate</th><th>Revenue / customer</th><th>Holdout</th><th>Order rate</th><th>Revenue / customer</th><th>Difference</th><th>Lift</th><th>95% interval</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>` +
    figure(chart, 'Each dot is the difference in revenue per customer; the bar is its 95% interval. A bar clear of the zero line is a lift the data can tell from chance.')
  );
}

function cohortSection(model: ReportModel): string {
  const windows = model.cohorts[0]?.windows.map((w) => w.days) ?? [];
  const money = (cents: number) => formatMoney(cents, model.currency);
  const rows = model.cohorts
    .map(
      (c) =>
        `<tr><td>${c.cohort}</td><td>${formatCount(c.customers)}</td>${c.windows
          .map((w) => `<td>${w.revenuePerCustomerCents === null ? '—' : escapeXml(money(w.revenuePerCustomerCents))}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return (
    '<h2>First-order cohorts</h2>' +
    figure(
      multiBarChart({
        id: 'cohort-revenue',
        title: `Revenue per customer in the first 90/180/365 days, by first-order month (${model.currency})`,
        xLabel: 'first-order month (UTC)',
        yLabel: `revenue per customer (${model.currency})`,
        mode: 'grouped',
        categories: model.cohorts.map((c) => c.cohort),
        series: windows.map((days, w) => ({ name: `${days} days`, values: model.cohorts.map((c) => c.windows[w]!.revenuePerCustomerCents) })),
        format: money,
      }),
      `A customer counts in a window once it has fully elapsed (as of ${formatDate(model.asOf)}); a missing bar means no customer of that month is old enough yet.`,
    ) +
    `<table id="cohort-table"><thead><tr><th>cohort</th><th>customers</th>${windows.map((d) => `<th>${d}-day revenue / customer</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`
  );
}

function migrationSection(model: ReportModel): string {
  const h = model.health;
  const bands = `healthy bands: mid-tier up ${formatPercent(h.mid_up_min)}–${formatPercent(h.mid_up_max)}, low-value up ${formatPercent(h.low_up_min)}–${formatPercent(h.low_up_max)}, top tiers down under ${formatPercent(h.top_down_max)}, champion stickiness over ${formatPercent(h.champion_stickiness_min)}`;
  const parts = model.migrations.map((window, index) => migrationWindow(model, window, index));
  const body = parts.length ? parts.join('') : '<p>No store was read, so there is nothing to compare against.</p>';
  return `<h2>Tier migration</h2><p>${escapeXml(bands)}.</p>${body}`;
}

function migrationWindow(model: ReportModel, window: MigrationWindow, index: number): string {
  const heading = `<h3>Since ${escapeXml(window.label)}</h3>`;
  if (!window.snapshot || !window.report) {
    return `${heading}<p>No snapshot at or before ${formatDate(window.target)}: tiersync has not run that long ago.</p>`;
  }
  const report = window.report;
  const labels = new Map(model.tiers.map((t) => [t.id, t.label]));
  const order = [ABSENT, ...model.tiers.map((t) => t.id)];
  const fromIds = order.filter((id) => report.matrix[id]);
  const toIds = model.tiers.map((t) => t.id);
  const label = (id: string) => (id === ABSENT ? 'not a customer' : (labels.get(id) ?? id));
  return (
    heading +
    `<p>Compared with the snapshot as of ${formatDate(window.snapshot.asOf)} (${formatCount(window.snapshot.customers)} customers).</p>` +
    figure(
      heatMap({
        id: `migration-${index}`,
        title: `Tier migration since ${window.label} (${formatDate(window.snapshot.asOf)} → ${formatDate(model.asOf)}), customers`,
        xLabel: `tier as of ${formatDate(model.asOf)}`,
        yLabel: `tier as of ${formatDate(window.snapshot.asOf)}`,
        rows: fromIds.map(label),
        columns: toIds.map(label),
        values: fromIds.map((from) => toIds.map((to) => report.matrix[from]?.[to] ?? 0)),
        format: formatCount,
      }),
      'Customers moving from the row tier to the column tier. The diagonal stayed put.',
    ) +
    migrationRates(report, model)
  );
}

function migrationRates(report: MigrationReport, model: ReportModel): string {
  const h = model.health;
  const rows: [string, number | null, string, (v: number) => boolean][] = [
    ['mid-tier moved up', report.midUp, `${formatPercent(h.mid_up_min)}–${formatPercent(h.mid_up_max)}`, (v) => v >= h.mid_up_min && v <= h.mid_up_max],
    ['low-value moved up', report.lowUp, `${formatPercent(h.low_up_min)}–${formatPercent(h.low_up_max)}`, (v) => v >= h.low_up_min && v <= h.low_up_max],
    ['top tiers moved down', report.topDown, `under ${formatPercent(h.top_down_max)}`, (v) => v < h.top_down_max],
    ['champions stayed champions', report.championStickiness, `over ${formatPercent(h.champion_stickiness_min)}`, (v) => v > h.champion_stickiness_min],
  ];
  // The bands describe monthly movement: runs closer than migration_min_days are not judged.
  const judged = report.elapsedDays >= h.migration_min_days;
  const body = rows
    .map(([name, value, band, healthy]) => {
      if (value === null) return `<tr><td>${name}</td><td>—</td><td>${band}</td><td>no customers in the group before</td></tr>`;
      if (!judged) return `<tr><td>${name}</td><td>${formatPercent(value)}</td><td>${band}</td><td>not judged: ${report.elapsedDays.toFixed(1)} days apart, under ${h.migration_min_days}</td></tr>`;
      const ok = healthy(value);
      return `<tr><td>${name}</td><td>${formatPercent(value)}</td><td>${band}</td><td class="${ok ? 'inside' : 'outside'}">${ok ? 'healthy' : 'outside the band'}</td></tr>`;
    })
    .join('');
  return `<table class="migration-rates"><thead><tr><th>movement</th><th>rate</th><th>healthy</th><th>status</th></tr></thead><tbody>${body}</tbody></table>`;
}

function churnSection(model: ReportModel): string {
  const { churn } = model;
  return (
    '<h2>Churn risk of the most valuable tiers</h2>' +
    figure(
      multiBarChart({
        id: 'churn-risk',
        title: `Churn-risk distribution for ${churn.tiers.map((t) => t.label).join(' and ')}, as of ${formatDate(model.asOf)}`,
        xLabel: 'churn risk (0–100 points)',
        yLabel: 'customers',
        mode: 'grouped',
        categories: CHURN_BINS,
        series: churn.tiers.map((tier, t) => ({ name: tier.label, values: churn.counts[t]! })),
        format: formatCount,
      }),
      `Customers by churn risk in 10-point bins; above ${churn.threshold} they are flagged at risk.`,
    )
  );
}

function listsSection(model: ReportModel): string {
  const o = model.summary.overlays;
  const lists = [
    { label: 'at risk', value: o.atRisk },
    { label: 'lapsed high-value', value: o.lapsedHighValue },
    { label: 'lapsed low-value', value: o.lapsedLowValue },
    { label: 'suppressed', value: o.suppressed },
    { label: 'reactivation due', value: o.reactivationDue },
  ];
  return (
    '<h2>Suppression and reactivation lists</h2>' +
    figure(
      barChart({
        id: 'list-sizes',
        title: `Overlay list sizes, as of ${formatDate(model.asOf)}`,
        xLabel: 'list',
        yLabel: 'customers',
        bars: lists,
        format: formatCount,
      }),
      'Customers on each overlay list (tags and Klaviyo lists). Suppressed customers are never due a reactivation.',
    )
  );
}

function shopifySection(model: ReportModel): string {
  if (!model.shopify) return '';
  const { spendTiers, counts } = model.shopify;
  return (
    "<h2>Shopify's own view</h2>" +
    figure(
      heatMap({
        id: 'shopify-spend-tier',
        title: `Our tiers against Shopify's predicted spend tier, as of ${formatDate(model.asOf)}`,
        xLabel: "Shopify's predictedSpendTier",
        yLabel: 'tiersync tier',
        rows: model.tiers.map((tier) => tier.label),
        columns: spendTiers,
        values: counts,
        format: formatCount,
      }),
      "Customers in each pair of our tier and Shopify's own predicted spend tier (customer statistics, as last read by a sync). Shopify does not publish its model; this is for comparison only.",
    )
  );
}

function ordersSection(model: ReportModel): string {
  const c = model.counts;
  return (
    '<h2>Orders read</h2>' +
    `<p>${formatCount(c.seen)} orders read; ${formatCount(c.counted)} counted; excluded ${formatCount(c.test)} test, ${formatCount(c.cancelled)} cancelled and ` +
    `${formatCount(c.afterAsOf)} after the as-of date; ${formatCount(c.guest)} guest orders (${escapeXml(formatMoney(c.guestRevenueCents, model.currency))}) counted apart, not segmented.</p>`
  );
}

function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${caption}</figcaption></figure>`;
}
