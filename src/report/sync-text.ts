import { PLAN_KINDS, type PlanOperation } from '../reconcile/plan.ts';
import type { SyncReport } from '../sync/run-sync.ts';
import { activationApplyLines, activationLines } from './activation-text.ts';
import { describeModel, formatSummary } from './summary-text.ts';

const SAMPLES_PER_KIND = 3;

/**
 * The human summary printed after `plan` and `sync`: what was pulled, the plan by operation
 * and segment, drift, migration, samples, health, what was applied and the API usage.
 *
 * @example
 * process.stdout.write(formatSyncReport(report));
 */
export function formatSyncReport(report: SyncReport): string {
  const { plan } = report;
  const out: string[] = [];
  out.push(`${report.mode === 'plan' ? 'Dry run (nothing written)' : 'Sync'} #${report.runId} as of ${report.asOf.toISOString()}`);
  if (report.resumedRun) {
    out.push(`resumed after run #${report.resumedRun.id} stopped: ${report.resumedRun.confirmed} operations had landed, ${report.resumedRun.unfinished} were re-planned`);
  }
  out.push(`pulled ${report.pull.orders} orders (${report.pull.mode}); ${report.shopifyCustomers} Shopify customers; ${report.segments.length} segmented`);
  if (report.model) out.push(describeModel(report.model));
  out.push('', formatSummary(report.summary, report.currency).trimEnd(), '');

  out.push(`plan: ${plan.changedCustomers} of ${plan.totalCustomers} customers change${plan.firstSync ? ' (first sync)' : ''}`);
  out.push(`  ${PLAN_KINDS.map((kind) => `${kind} ${plan.counts[kind]}`).join(', ')}; tags +${plan.tagsAdded} −${plan.tagsRemoved}`);
  const segments = Object.keys(plan.bySegment).sort();
  for (const segment of segments) {
    const row = plan.bySegment[segment]!;
    out.push(`  ${segment.padEnd(11)} ${PLAN_KINDS.filter((k) => row[k]).map((k) => `${k} ${row[k]}`).join(', ')}`);
  }
  if (report.profilesObserved !== null) out.push(`  read tiersync's properties on ${report.profilesObserved} Klaviyo profiles in full`);
  const { tags, lists, metafields, profiles } = plan.drift;
  if (tags || lists || metafields || profiles) {
    out.push(`  drift put back: ${tags} tags, ${lists} list memberships, ${metafields} metafields and the properties of ${profiles} Klaviyo profiles changed outside tiersync`);
  }
  const n = plan.notices;
  if (n.atTagLimit.length) out.push(`  ${n.atTagLimit.length} customers at Shopify's 250-tag limit (adds cut): ${n.atTagLimit.slice(0, 5).join(', ')}`);
  if (n.unknownCustomers) out.push(`  ${n.unknownCustomers} segmented customers are not in Shopify's customer list (deleted?): no tag writes`);
  if (n.sharedEmails) out.push(`  ${n.sharedEmails} emails are shared by several customers: one Klaviyo profile each, from the best-ranked customer`);
  if (n.withoutEmail) out.push(`  ${n.withoutEmail} customers without email get Shopify tags only`);
  if (report.holdouts.heldOut) {
    const assigned = report.mode === 'plan' ? 'new to the experiment, assigned when a sync applies' : 'newly assigned this run';
    out.push(`  holdout: ${report.holdouts.heldOut} customers held out of the action lists (${report.holdouts.newlyAssigned} ${assigned}); see tiersync lift`);
  }
  if (report.notInKlaviyo) out.push(`  ${report.notInKlaviyo} of them have no Klaviyo profile and are left out of Klaviyo (klaviyo.update_existing_only)`);
  for (const kind of PLAN_KINDS) {
    const samples = plan.samples.filter((op) => op.kind === kind).slice(0, SAMPLES_PER_KIND);
    for (const op of samples) out.push(`  e.g. ${describeOperation(op)}`);
  }
  out.push(...activationLines(report.activation));
  if (report.migration) {
    const m = report.migration;
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
    const judged = m.judged ? '' : ' (too close to judge against the monthly bands)';
    out.push('', `migration since the previous sync ${m.elapsedDays.toFixed(1)} days ago: mid→up ${pct(m.midUp)}, low→up ${pct(m.lowUp)}, top→down ${pct(m.topDown)}, champion stickiness ${pct(m.championStickiness)}${judged}`);
    for (const warning of m.warnings) out.push(`warning: ${warning}`);
  }
  if (report.guardTripped) {
    const what = report.mode === 'sync' ? 'STOPPED: this plan changes' : 'A sync would stop here: this plan changes';
    out.push('', `${what} ${plan.changedCustomers} of ${plan.totalCustomers} customers, more than the guard allows. ` +
      'A partial pull or a config mistake can do this; check the plan (tiersync plan --out plan.csv), then run tiersync sync --force to apply it.');
  }
  if (report.applied) {
    const a = report.applied;
    out.push('', `applied: ${a.confirmed} operations confirmed, ${a.failed} failed` + (a.klaviyo ? `; ${a.klaviyo.jobs} Klaviyo import jobs` : ''));
    if (a.shopify.notFound.length) out.push(`  ${a.shopify.notFound.length} customers no longer exist in Shopify (skipped)`);
    if (a.shopify.atTagLimit.length) out.push(`  ${a.shopify.atTagLimit.length} customers are at the 250-tag limit (reported, not failed)`);
    for (const r of a.shopify.rejected.slice(0, 5)) out.push(`  rejected ${r.target}: ${r.reason}`);
    for (const e of a.klaviyo?.importErrors.slice(0, 5) ?? []) out.push(`  Klaviyo import error ${e.email}: ${e.reason}`);
    if (report.listsCreated.length) out.push(`  created Klaviyo lists: ${report.listsCreated.join(', ')}`);
    out.push(...activationApplyLines(a.activation));
  }
  out.push(`API: ${report.api.shopifyRequests} Shopify requests (${report.api.shopifyThrottled} throttled), ${report.api.klaviyoRequests} Klaviyo requests`);
  return `${out.join('\n')}\n`;
}

/**
 * The line `plan` and `sync` end with: what to run next.
 *
 * @example
 * nextStep(planReport); // 'to apply: tiersync sync'
 */
export function nextStep(report: SyncReport): string {
  if (report.mode === 'plan') return report.guardTripped ? 'to apply: check the plan (--out plan.csv), then tiersync sync --force' : 'to apply: tiersync sync';
  if (report.guardTripped) return 'next: check the plan (tiersync plan --out plan.csv), then tiersync sync --force';
  // Activation writes (native segments, definitions) that failed are planned again too.
  const failed = (report.applied?.failed ?? 0) + (report.applied?.activation.failed.length ?? 0);
  const retry = failed ? `the next tiersync sync plans the ${failed} failed operations again; ` : '';
  return `next: ${retry}tiersync report writes out/report.html; to run on a schedule see docs/report-and-schedule.md`;
}

function describeOperation(op: PlanOperation): string {
  switch (op.kind) {
    case 'tags_add':
    case 'tags_remove':
      return `${op.kind} ${op.target}: ${op.payload.tags.join(', ')}${op.payload.drift.length ? ' (drift)' : ''}`;
    case 'metafields_set':
      return `metafields_set ${op.target}: ${op.payload.metafields.map((m) => `${m.key}=${m.value}`).join(', ')}`;
    case 'metafields_delete':
    case 'profiles_unset':
      return `${op.kind} ${op.target}: ${op.payload.keys.join(', ')}`;
    case 'profiles_upsert':
      return `profiles_upsert ${op.target}: ${Object.entries(op.payload.properties).slice(0, 4).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}…`;
    case 'list_add':
    case 'list_remove':
      return `${op.kind} "${op.payload.list}" ${op.target}${op.payload.drift ? ' (drift)' : ''}`;
  }
}
