import { countActivation } from '../activation/plan-activation.ts';
import type { SyncReport } from '../sync/run-sync.ts';

/**
 * The machine-readable summary of `plan --json` and `sync --json`: one JSON object whose
 * `operations` holds the counts by kind (planned for `plan`, applied for `sync`).
 *
 * @example
 * JSON.parse(JSON.stringify(toSyncJson(report))).operations.tags_add
 */
export function toSyncJson(report: SyncReport) {
  const { plan } = report;
  return {
    run_id: report.runId,
    mode: report.mode,
    as_of: report.asOf.toISOString(),
    currency: report.currency,
    orders_pulled: report.pull.orders,
    pull_mode: report.pull.mode,
    customers: report.segments.length,
    // What a sync confirmed, or what a dry run (or a guarded sync) would send.
    operations: report.applied ? report.applied.confirmedByKind : plan.counts,
    planned: plan.counts,
    tags_added: plan.tagsAdded,
    tags_removed: plan.tagsRemoved,
    by_segment: plan.bySegment,
    changed_customers: plan.changedCustomers,
    total_customers: plan.totalCustomers,
    first_sync: plan.firstSync,
    guard_tripped: report.guardTripped,
    drift: plan.drift,
    profiles_observed: report.profilesObserved,
    notices: { ...plan.notices, atTagLimit: plan.notices.atTagLimit.length, notInKlaviyo: report.notInKlaviyo },
    holdouts: { held_out: report.holdouts.heldOut, newly_assigned: report.holdouts.newlyAssigned },
    tiers: Object.fromEntries(report.summary.tiers.map((t) => [t.tier, t.customers])),
    warnings: report.summary.warnings.map((w) => w.message),
    migration: report.migration && {
      mid_up: report.migration.midUp, low_up: report.migration.lowUp, top_down: report.migration.topDown,
      champion_stickiness: report.migration.championStickiness, elapsed_days: report.migration.elapsedDays, warnings: report.migration.warnings,
    },
    applied: report.applied && {
      confirmed: report.applied.confirmed,
      failed: report.applied.failed,
      not_found: report.applied.shopify.notFound.length,
      at_tag_limit: report.applied.shopify.atTagLimit.length,
      klaviyo_import_errors: report.applied.klaviyo?.importErrors.length ?? 0,
    },
    activation: {
      planned: countActivation(report.activation),
      confirmed: report.applied?.activation.confirmedByKind ?? null,
      failed: report.applied?.activation.failed ?? [],
      left_in_place: report.activation.leftInPlace.map(({ key, record }) => ({ key, ...record })),
      conflicts: report.activation.conflicts.map((c) => c.message),
    },
    resumed_run: report.resumedRun,
    api: report.api,
  };
}
