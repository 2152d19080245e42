import type { PlaybookRow } from '../../activation/playbook.ts';
import { formatDate } from '../html/format.ts';
import { displayCells } from './cells.ts';

export interface PlaybookDocument {
  readonly rows: readonly PlaybookRow[];
  readonly currency: string;
  readonly asOf: Date;
  readonly shop: string | null;
  /** Where the segments come from, e.g. "store .tiersync/acme.db, run 3". */
  readonly source: string;
}

/**
 * The master playbook as a Markdown document a marketer can hand to a copywriter: an overview
 * table, then one section per segment with its strategy, platform setup and size check.
 *
 * @example
 * await writeFile('playbook.md', playbookMarkdown({ rows, currency: 'USD', asOf, shop: 'acme', source }));
 */
export function playbookMarkdown(doc: PlaybookDocument): string {
  const out: string[] = [];
  const modelOn = doc.rows.some((row) => row.predictedRevenueNextYearCents !== null);
  out.push(`# Segment playbook${doc.shop ? ` — ${doc.shop}` : ''}`, '');
  out.push(`As of ${formatDate(doc.asOf.getTime())}, from ${doc.source}. Money in ${doc.currency}; LTV is net revenue of the LTV window.` +
    (modelOn ? ' Predictions are the BG/NBD and Gamma-Gamma model’s, for the next 365 days.' : ' The predictive model is off: no predictions.'), '');
  out.push('A customer is in exactly one tier (Champions … New) and in any number of overlays (At Risk … Suppressed). ' +
    'Live sizes: ✓ where the Shopify segment holds the computed customers and the Klaviyo list one profile per email (holdouts left out of tier and action lists), ✗ where they differ (see the segment\'s size check).', '');

  out.push('## Overview', '');
  out.push('| Segment | Customers | Share | Average LTV | Revenue share | Predicted revenue next year | Expected returning customers | Live: Shopify segment / Klaviyo list |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of doc.rows) {
    const c = displayCells(row, doc.currency);
    out.push(`| ${escapeCell(row.segment)} | ${c.customers} | ${c.share} | ${c.averageLtv} | ${c.revenueShare} | ${c.predictedRevenue} | ${c.expectedReturning} | ${c.liveShort} |`);
  }
  out.push('');

  for (const row of doc.rows) {
    const c = displayCells(row, doc.currency);
    const p = row.platform;
    out.push(`## ${row.segment}${row.kind === 'overlay' ? ' (overlay)' : ''}`, '');
    out.push(`**${c.customers} customers** (${c.share} of all), average LTV ${c.averageLtv}, ${c.revenueShare} of revenue.` +
      (modelOn ? ` Next year: ${c.predictedRevenue} predicted revenue from about ${c.expectedReturning} returning customers.` : ''), '');
    out.push(`- **Email cadence:** ${row.emailCadence}`);
    out.push(`- **Offer strategy:** ${row.offerStrategy}`);
    out.push(`- **Tone:** ${row.tone}`);
    out.push(`- **Reactivation trigger:** ${c.reactivationTrigger}`);
    out.push(`- **Suppression rule:** ${row.suppressionRule}`);
    out.push(`- **Channels:** ${c.channels}`);
    out.push(`- **Reachable (channel eligibility):** ${c.reachable}`, '');
    out.push('**Platform setup**', '');
    out.push(`- Shopify tag: \`${p.tag}\``);
    out.push(`- Shopify segment: ${p.shopifySegment.query === null ? c.shopifySegment : `"${p.shopifySegment.name}" — \`${p.shopifySegment.query}\``}`);
    if (p.metafield) out.push(`- Shopify metafield filter: \`${p.metafield}\``);
    out.push(`- Klaviyo list: ${c.klaviyoList}; Klaviyo segment: "${p.klaviyoSegment}"`);
    out.push(`- Suggested flow: ${p.flow}`);
    out.push(`  - Trigger: ${p.flowTrigger}`, '');
    out.push(`**Size check:** ${c.sizeCheck}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
