import { formatMinorUnits } from '../core/money.ts';
import type { SegmentationSummary } from '../core/summary.ts';
import type { ModelFits } from '../model/predict-customers.ts';

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

/**
 * One line on the predictive model: its fitted parameters, or why it fell back.
 *
 * @example
 * describeModel(result) // 'predictive model: BG/NBD r=0.243 α=4.41 a=0.793 b=2.43; Gamma-Gamma p=6.25 q=3.74 v=15.4 (946 repeat customers)'
 */
export function describeModel(model: ModelFits): string {
  if (model.status === 'fallback' || !model.bgnbd || !model.gammaGamma) {
    return `predictive model: not used (${model.warnings.join('; ')})`;
  }
  const { r, alpha, a, b } = model.bgnbd.params;
  const { p, q, v } = model.gammaGamma.params;
  const g = (x: number) => x.toPrecision(3);
  // Gamma-Gamma leaves out repeat customers whose repeats were refunded to zero: say so
  // rather than print one count for two fits.
  const spenders = model.gammaGamma.customers;
  const fitted = spenders === model.repeatCustomers ? `${spenders} repeat customers` : `${model.repeatCustomers} repeat customers, ${spenders} of them with a positive repeat spend for Gamma-Gamma`;
  return `predictive model: BG/NBD r=${g(r)} α=${g(alpha)} a=${g(a)} b=${g(b)}; Gamma-Gamma p=${g(p)} q=${g(q)} v=${g(v)} (${fitted})`;
}
