import type { Config } from '../config/schema.ts';
import type { PlanSummary } from './plan.ts';

/** Why the guard let a plan through, or that it stopped it. */
export type GuardReason = 'first_sync' | 'within_share' | 'forced' | 'resuming_approved_run' | 'exceeds_share';

export interface GuardDecision {
  /** True: the plan changes more than `guard.max_changed_share` of customers and nothing exempts it; a sync stops before sending anything. */
  readonly tripped: boolean;
  readonly reason: GuardReason;
  /** Changed customers / all customers. */
  readonly changedShare: number;
}

/** The exit code of a `sync` the guard stopped (README "Exit codes"). */
export const GUARD_STOP_EXIT_CODE = 3;

/**
 * The guard (docs/DESIGN.md "Reconcile, plan, apply"), decided in one place: a plan that changes more than the
 * configured share of customers stops, unless this is the first sync (nothing managed yet),
 * the user passed `--force`, or the run resumes one whose plan was already let through.
 *
 * @example
 * decideGuard(plan, config, { force: false, resumingApprovedRun: false }).tripped;
 */
export function decideGuard(
  plan: Pick<PlanSummary, 'changedCustomers' | 'totalCustomers' | 'firstSync'>,
  config: Config,
  exemptions: { readonly force: boolean; readonly resumingApprovedRun: boolean },
): GuardDecision {
  const changedShare = plan.totalCustomers === 0 ? 0 : plan.changedCustomers / plan.totalCustomers;
  const decide = (tripped: boolean, reason: GuardReason): GuardDecision => ({ tripped, reason, changedShare });
  if (plan.firstSync) return decide(false, 'first_sync');
  if (changedShare <= config.guard.max_changed_share) return decide(false, 'within_share');
  if (exemptions.force) return decide(false, 'forced');
  if (exemptions.resumingApprovedRun) return decide(false, 'resuming_approved_run');
  return decide(true, 'exceeds_share');
}
