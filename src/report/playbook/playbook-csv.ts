import { sizeDiffers, type PlaybookRow } from '../../activation/playbook.ts';
import { formatMinorUnits } from '../../core/money.ts';
import { csvRow } from '../../util/csv-row.ts';
import { displayCells } from './cells.ts';

/** The playbook's CSV columns (issue 14), then the live sizes and their check, then how many of the segment each channel may reach. */
export const PLAYBOOK_CSV_HEADER = [
  'segment', 'customers', 'share', 'average_ltv', 'revenue_share', 'predicted_revenue_next_year', 'expected_returning_customers',
  'email_cadence', 'offer_strategy', 'tone', 'reactivation_trigger_days', 'suppression_rule', 'channels', 'platform_setup',
  'live_shopify_segment_size', 'live_klaviyo_list_size', 'size_check',
  'reachable_email', 'reachable_sms', 'reachable_push', 'reachable_paid_social',
] as const;

/**
 * One line per segment; numbers as plain decimals (shares 0–1, money in major units), empty when
 * not applicable (model off, not checked).
 *
 * @example
 * playbookCsv(rows, 'USD').split('\n')[0]; // 'segment,customers,share,...'
 */
export function playbookCsv(rows: readonly PlaybookRow[], currency: string): string {
  const money = (cents: number | null) => (cents === null ? '' : formatMinorUnits(cents, currency));
  const lines = [csvRow([...PLAYBOOK_CSV_HEADER])];
  for (const row of rows) {
    const cells = displayCells(row, currency);
    const p = row.platform;
    const setup = [
      `tag: ${p.tag}`,
      `Shopify segment: ${cells.shopifySegment}`,
      `metafield: ${p.metafield ?? 'none'}`,
      `Klaviyo list: ${cells.klaviyoList}`,
      `Klaviyo segment: "${p.klaviyoSegment}"`,
      `flow: ${p.flow} (trigger: ${p.flowTrigger})`,
    ].join('; ');
    const checks = [sizeDiffers(row, 'shopifySegment'), sizeDiffers(row, 'klaviyoList')].filter((d) => d !== null);
    const flag = checks.length === 0 ? 'not checked' : checks.some((d) => d) ? 'differs' : 'matches';
    lines.push(
      csvRow([
        row.segment,
        String(row.customers),
        row.share.toFixed(4),
        money(row.averageLtvCents),
        row.revenueShare === null ? '' : row.revenueShare.toFixed(4),
        money(row.predictedRevenueNextYearCents),
        row.expectedReturningCustomers === null ? '' : row.expectedReturningCustomers.toFixed(1),
        row.emailCadence,
        row.offerStrategy,
        row.tone,
        row.reactivationTriggerDays === null ? '' : String(row.reactivationTriggerDays),
        row.suppressionRule,
        row.channels.join('; '),
        setup,
        row.live ? String(row.live.shopifySegment) : 'not checked',
        row.live ? String(row.live.klaviyoList) : 'not checked',
        flag,
        String(row.reachable.email),
        String(row.reachable.sms),
        String(row.reachable.push),
        String(row.reachable.paid_social),
      ]),
    );
  }
  return lines.join('');
}
