import type { Config } from '../config/schema.ts';
import { topTiers } from './segment.ts';

export interface MigrationReport {
  /** matrix[from][to] = customers; `from` is `(none)` for customers absent before. */
  readonly matrix: Record<string, Record<string, number>>;
  /** Shares of each group that moved; null when the group was empty before. */
  readonly midUp: number | null;
  readonly lowUp: number | null;
  readonly topDown: number | null;
  readonly championStickiness: number | null;
  /** Days between the two runs. */
  readonly elapsedDays: number;
  /** Whether the runs are far enough apart (`health.migration_min_days`) to judge the bands. */
  readonly judged: boolean;
  /** Band warnings; empty when the runs are too close to judge against monthly bands. */
  readonly warnings: string[];
}

export const ABSENT = '(none)';

/**
 * Tier-to-tier movement between two runs and the guide's healthy bands: mid→up 5–10%,
 * low→up 2–5%, top-20%→down < 3%, champion stickiness > 80% (the last is meant over ~90 days;
 * the caller picks the previous run). The bands describe month-to-month movement, so runs
 * fewer than `health.migration_min_days` apart are reported without warnings. "Up" and
 * "down" follow the configured tier order; moves into or out of `new` are neither.
 *
 * @example
 * const report = migration(new Map([['1', 'vip']]), [{ customerId: '1', tier: 'champion' }], config, 30);
 */
export function migration(
  previous: ReadonlyMap<string, string>,
  current: readonly { readonly customerId: string; readonly tier: string }[],
  config: Config,
  elapsedDays: number,
): MigrationReport {
  const rank = new Map(config.tiers.map((tier, index) => [tier.id, index]));
  const top = topTiers(config);
  const first = config.tiers[0]!.id;
  const last = config.tiers.at(-1)!.id;
  const matrix: Record<string, Record<string, number>> = {};
  const groups = { mid: [0, 0], low: [0, 0], top: [0, 0], champion: [0, 0] };
  const count = (group: number[], moved: boolean) => {
    group[0]!++;
    if (moved) group[1]!++;
  };
  for (const { customerId, tier } of current) {
    const from = previous.get(customerId) ?? ABSENT;
    const row = (matrix[from] ??= {});
    row[tier] = (row[tier] ?? 0) + 1;
    const fromRank = rank.get(from);
    const toRank = rank.get(tier);
    if (fromRank === undefined || toRank === undefined) continue;
    if (from === first) count(groups.champion, tier === first);
    if (top.has(from)) count(groups.top, toRank > fromRank);
    else if (from === last) count(groups.low, toRank < fromRank);
    else count(groups.mid, toRank < fromRank);
  }
  const rate = ([total, moved]: number[]) => (total ? moved! / total! : null);
  const report = {
    matrix,
    midUp: rate(groups.mid),
    lowUp: rate(groups.low),
    topDown: rate(groups.top),
    championStickiness: rate(groups.champion),
  };
  const judged = elapsedDays >= config.health.migration_min_days;
  return { ...report, elapsedDays, judged, warnings: judged ? migrationWarnings(report, config) : [] };
}

function migrationWarnings(report: Omit<MigrationReport, 'warnings' | 'matrix' | 'elapsedDays' | 'judged'>, config: Config): string[] {
  const h = config.health;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const warnings: string[] = [];
  const band = (name: string, value: number | null, min: number, max: number) => {
    if (value !== null && (value < min || value > max)) warnings.push(`${name}: ${pct(value)} moved up, outside the healthy ${pct(min)}–${pct(max)}`);
  };
  band('mid-tier customers', report.midUp, h.mid_up_min, h.mid_up_max);
  band('low-value customers', report.lowUp, h.low_up_min, h.low_up_max);
  if (report.topDown !== null && report.topDown >= h.top_down_max) {
    warnings.push(`top tiers: ${pct(report.topDown)} moved down, healthy is under ${pct(h.top_down_max)}`);
  }
  if (report.championStickiness !== null && report.championStickiness <= h.champion_stickiness_min) {
    warnings.push(`champions: ${pct(report.championStickiness)} stayed champions, healthy is over ${pct(h.champion_stickiness_min)}`);
  }
  return warnings;
}
