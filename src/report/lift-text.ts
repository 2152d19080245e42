import type { LiftGroup } from '../core/lift.ts';
import type { LiftReadout } from './lift-readout.ts';
import { formatMoney, formatPercent } from './html/format.ts';

/**
 * The terminal table of `tiersync lift`: per segment at assignment, treated and holdout
 * customers, ordering customers, revenue per customer, the difference with its 95% Welch t
 * interval, or why there is none.
 *
 * @example
 * process.stdout.write(formatLift(readout, 'USD', 30));
 */
export function formatLift(readout: LiftReadout, currency: string, minCustomers: number): string {
  const money = (cents: number) => formatMoney(cents, currency);
  const signed = (cents: number) => `${cents > 0 ? '+' : ''}${money(cents)}`;
  const group = (g: LiftGroup) => [String(g.customers), `${g.ordering_customers} (${formatPercent(g.order_rate)})`, money(g.revenue_per_customer_cents)];
  const header = ['segment', 'treated', 'ordering', 'rev/customer', 'holdout', 'ordering', 'rev/customer', 'difference', 'lift', '95% interval'];
  const rows = readout.segments.map((s) => [
    s.segment,
    ...group(s.treated),
    ...group(s.holdout),
    signed(s.revenue_per_customer_diff_cents),
    s.relative_lift === null ? 'n/a' : `${s.relative_lift > 0 ? '+' : ''}${formatPercent(s.relative_lift)}`,
    s.ci95 === null
      ? `too small for a meaningful interval (under ${minCustomers} treated or held out)`
      : `[${signed(s.ci95[0])}, ${signed(s.ci95[1])}]${s.significant ? ' significant' : ' not significant'}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [
    `Lift since ${readout.since}: treated against held-out customers, by segment at assignment, orders since assignment.`,
    'Interval: 95% Welch t interval on the difference in revenue per customer; significant when it excludes 0.',
    '',
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
