import { describe, expect, it } from 'vitest';
import { nextStep } from '../../src/report/sync-text.ts';
import type { SyncReport } from '../../src/sync/run-sync.ts';

/** Only what nextStep reads; the rest of a report does not change its answer. */
const report = (mode: 'plan' | 'sync', guardTripped: boolean, failed: number | null, activationFailed: string[] = []) =>
  ({ mode, guardTripped, applied: failed === null ? null : { failed, activation: { failed: activationFailed.map((target) => ({ target, error: 'HTTP 429' })) } } }) as unknown as SyncReport;

describe('nextStep', () => {
  it('tells a dry run how to apply, with --force when the guard would stop it', () => {
    expect(nextStep(report('plan', false, null))).toBe('to apply: tiersync sync');
    expect(nextStep(report('plan', true, null))).toBe('to apply: check the plan (--out plan.csv), then tiersync sync --force');
  });

  it('tells a sync what comes after it', () => {
    expect(nextStep(report('sync', true, null))).toBe('next: check the plan (tiersync plan --out plan.csv), then tiersync sync --force');
    expect(nextStep(report('sync', false, 0))).toBe('next: tiersync report writes out/report.html; to run on a schedule see docs/report-and-schedule.md');
    expect(nextStep(report('sync', false, 3))).toBe(
      'next: the next tiersync sync plans the 3 failed operations again; tiersync report writes out/report.html; to run on a schedule see docs/report-and-schedule.md',
    );
  });

  it('counts a native segment that failed among the operations planned again', () => {
    expect(nextStep(report('sync', false, 0, ['klaviyo_segment:vip', 'klaviyo_segment:new']))).toBe(
      'next: the next tiersync sync plans the 2 failed operations again; tiersync report writes out/report.html; to run on a schedule see docs/report-and-schedule.md',
    );
  });
});
