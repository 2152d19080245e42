import type { PlaybookRow } from '../../activation/playbook.ts';
import { displayCells } from '../playbook/cells.ts';
import { escapeXml } from './svg.ts';

/**
 * The playbook as a report section: the overview table, then per segment its strategy,
 * platform setup and size check (the same texts as `tiersync playbook`).
 *
 * @example
 * playbookSection(rows, 'USD'); // '<h2>Playbook</h2><table>…'
 */
export function playbookSection(rows: readonly PlaybookRow[], currency: string): string {
  const e = escapeXml;
  const overview = rows
    .map((row) => {
      const c = displayCells(row, currency);
      return `<tr><td>${e(row.segment)}</td><td>${c.customers}</td><td>${c.share}</td><td>${e(c.averageLtv)}</td><td>${c.revenueShare}</td><td>${e(c.predictedRevenue)}</td><td>${e(c.expectedReturning)}</td><td>${e(c.liveShort)}</td></tr>`;
    })
    .join('');
  const sections = rows
    .map((row) => {
      const c = displayCells(row, currency);
      const p = row.platform;
      const item = (label: string, value: string) => `<dt>${e(label)}</dt><dd>${e(value)}</dd>`;
      return (
        `<h3 id="playbook-${e(row.key)}">${e(row.segment)}${row.kind === 'overlay' ? ' (overlay)' : ''}</h3><dl class="playbook">` +
        item('Email cadence', row.emailCadence) +
        item('Offer strategy', row.offerStrategy) +
        item('Tone', row.tone) +
        item('Reactivation trigger', c.reactivationTrigger) +
        item('Suppression rule', row.suppressionRule) +
        item('Channels', c.channels) +
        item('Reachable (channel eligibility)', c.reachable) +
        item('Shopify tag', p.tag) +
        item('Shopify segment', c.shopifySegment) +
        (p.metafield ? item('Shopify metafield filter', p.metafield) : '') +
        item('Klaviyo list', c.klaviyoList) +
        item('Klaviyo segment', `"${p.klaviyoSegment}"`) +
        item('Suggested flow', `${p.flow} — trigger: ${p.flowTrigger}`) +
        item('Size check', c.sizeCheck) +
        '</dl>'
      );
    })
    .join('');
  return (
    '<h2>Playbook</h2>' +
    '<table><thead><tr><th>Segment</th><th>Customers</th><th>Share</th><th>Average LTV</th><th>Revenue share</th><th>Predicted revenue next year</th><th>Expected returning customers</th><th>Live: Shopify segment / Klaviyo list</th></tr></thead>' +
    `<tbody>${overview}</tbody></table>` +
    sections
  );
}
