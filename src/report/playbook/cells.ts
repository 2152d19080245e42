import { sizeDiffers, type LiveSize, type PlaybookRow } from '../../activation/playbook.ts';
import { formatCount, formatMoney, formatPercent } from '../html/format.ts';

/**
 * One playbook row as display texts, shared by the Markdown, CSV and HTML renderings so that
 * they say the same thing.
 *
 * @example
 * displayCells(row, 'USD').averageLtv; // '1,234.56 USD'
 */
export function displayCells(row: PlaybookRow, currency: string) {
  return {
    customers: formatCount(row.customers),
    share: formatPercent(row.share),
    averageLtv: row.averageLtvCents === null ? 'n/a (empty)' : formatMoney(row.averageLtvCents, currency),
    revenueShare: row.revenueShare === null ? 'n/a' : formatPercent(row.revenueShare),
    predictedRevenue: row.predictedRevenueNextYearCents === null ? 'model off' : formatMoney(row.predictedRevenueNextYearCents, currency),
    expectedReturning: row.expectedReturningCustomers === null ? 'model off' : formatCount(row.expectedReturningCustomers),
    reactivationTrigger: row.reactivationTrigger,
    liveShort: liveShort(row),
    channels: row.channels.length ? row.channels.join(', ') : 'none',
    reachable: `email ${formatCount(row.reachable.email)}, SMS ${formatCount(row.reachable.sms)}, push ${formatCount(row.reachable.push)}, paid social ${formatCount(row.reachable.paid_social)}`,
    shopifySegment: row.platform.shopifySegment.query === null ? `none (${row.platform.tag} cannot be quoted)` : `"${row.platform.shopifySegment.name}" (${row.platform.shopifySegment.query})`,
    klaviyoList: row.platform.klaviyoList === null ? 'none (switched off)' : `"${row.platform.klaviyoList}"`,
    sizeCheck: sizeCheck(row),
  };
}

/** Step 6's validation in words: each live size against what it should be. */
function sizeCheck(row: PlaybookRow): string {
  if (!row.live) return 'not checked (run with Shopify and Klaviyo credentials to compare live sizes)';
  const part = (label: string, live: LiveSize, expected: number, differs: boolean | null) =>
    typeof live !== 'number' ? `${label}: ${live}` : `${label}: ${formatCount(live)} ${differs ? `(DIFFERS: computed ${formatCount(expected)})` : '(matches)'}`;
  return [
    part('Shopify segment', row.live.shopifySegment, row.customers, sizeDiffers(row, 'shopifySegment')),
    part('Klaviyo list', row.live.klaviyoList, row.klaviyoExpected, sizeDiffers(row, 'klaviyoList')),
  ].join('; ');
}

/** The size check in a table cell: `12 ✓ / 11 ✓`, `12 ✗ / missing`, or `not checked`. */
function liveShort(row: PlaybookRow): string {
  if (!row.live) return 'not checked';
  const one = (live: LiveSize, differs: boolean | null) => (typeof live !== 'number' ? live : `${formatCount(live)} ${differs ? '✗' : '✓'}`);
  return `${one(row.live.shopifySegment, sizeDiffers(row, 'shopifySegment'))} / ${one(row.live.klaviyoList, sizeDiffers(row, 'klaviyoList'))}`;
}
