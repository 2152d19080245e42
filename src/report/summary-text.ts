import { formatMinorUnits } from '../core/money.ts';
import type { SegmentationSummary } from '../core/summary.ts';

/**
 * The compact terminal table printed after `segment`, `plan` and `sync`: tier sizes, LTV and
 * revenue share, overlay counts and health warnings.
 *
 * @example
 * process.stderr.write(formatSummary(summary, 'USD'));
 */
export function formatSummary(summary: SegmentationSummary, currency: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rows = summary.tiers.map((t) => [
    t.label,
    String(t.customers),
    summary.customers ? pct(t.customers / summary.customers) : '0.0%',
    formatMinorUnits(t.averageLtvCents, currency),
    pct(t.revenueShare),
  ]);
  const header = ['tier', 'customers', 'share', `avg LTV (${currency})`, 'revenue share'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(header), ...rows.map(line)];
  const o = summary.overlays;
  out.push(
    '',
    `customers ${summary.customers} (mature ${summary.matureCustomers}); recency: ${Object.entries(summary.recency).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `at risk ${o.atRisk}, lapsed high-value ${o.lapsedHighValue}, lapsed low-value ${o.lapsedLowValue}, suppressed ${o.suppressed}, reactivation due ${o.reactivationDue}`,
  );
  if (summary.topRevenueShare !== null) out.push(`top tiers hold ${pct(summary.topRevenueShare)} of mature customers' revenue`);
  for (const warning of summary.warnings) out.push(`warning: ${warning.message}`);
  return `${out.join('\n')}\n`;
}
