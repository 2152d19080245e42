import { setTimeout as delay } from 'node:timers/promises';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../config/load-config.ts';
import { InterruptedError, UserError, type StopSignal } from '../errors.ts';
import { readCredentials } from '../config/env.ts';
import { formatSyncReport, nextStep } from '../report/sync-text.ts';
import { toSyncJson } from '../report/sync-json.ts';
import { GUARD_STOP_EXIT_CODE } from '../reconcile/guard.ts';
import { createPlanFile } from '../report/write-plan.ts';
import { createProgress } from '../sync/progress.ts';
import type { SyncReport } from '../sync/run-sync.ts';
import { syncWith } from './sync-dependencies.ts';

export interface PipelineOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly out?: string;
  readonly force?: boolean;
  readonly store?: string;
  readonly full?: boolean;
}

/**
 * What `tiersync plan` and `tiersync sync` share: read `.env` and the config, run the
 * pipeline with the real clock and network, print the summary (or `--json`), write the plan
 * file. Returns the report; the exit code says whether the guard stopped the sync.
 *
 * @example
 * await runPipeline('plan', { out: 'plan.csv' });
 */
export async function runPipeline(mode: 'plan' | 'sync', options: PipelineOptions): Promise<SyncReport> {
  loadDotenv({ quiet: true });
  const config = await loadConfig(options.config, { explicit: options.config !== undefined });
  const credentials = readCredentials(process.env);
  if (credentials.klaviyoApiKey === null) {
    process.stderr.write('KLAVIYO_API_KEY is not set: Klaviyo is off; this run plans and writes Shopify only\n');
  }
  const progress = createProgress(process.stderr, Date.now, { json: options.json ?? false });
  // The first SIGINT/SIGTERM stops the run after the batch in flight (journaled, lock released);
  // a second one ends the process at once, and the next sync resumes either way.
  const interrupt = new AbortController();
  const stop = (signal: StopSignal) => interrupt.abort(new InterruptedError(signal));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const planFile = options.out ? createPlanFile(options.out) : null;
  const report = await syncWith(
    {
      credentials,
      storePath: options.store,
      now: Date.now,
      sleep: (ms) => delay(ms),
      random: Math.random,
      progress,
      klaviyoTimeScale: sandboxTimeScale(process.env.TIERSYNC_SANDBOX_TIME_SCALE),
      signal: interrupt.signal,
    },
    { mode, force: options.force ?? false, full: options.full ?? false, config, ...(planFile ? { onPlannedOperations: planFile.add } : {}) },
  )
    .catch((error: unknown) => {
      planFile?.discard();
      throw error;
    })
    .finally(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
  if (planFile && options.out) {
    await planFile.finish(report);
    process.stderr.write(`wrote ${options.out} (${Object.values(report.plan.counts).reduce((sum, n) => sum + n, 0)} operations)\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(toSyncJson(report))}\n`);
  else process.stdout.write(`${formatSyncReport(report)}${nextStep(report)}\n`);
  if (report.guard.tripped && mode === 'sync') process.exitCode = GUARD_STOP_EXIT_CODE;
  return report;
}

/**
 * Against a sandbox started with `--time-scale N`, Klaviyo's windows are N times shorter; the
 * client can match them (tests, benchmarks). Never set for the real APIs.
 */
export function sandboxTimeScale(value: string | undefined): number {
  // Blank is unset, as for every variable (.env files carry blank lines to fill in).
  if (value === undefined || value.trim() === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0) throw new UserError(`TIERSYNC_SANDBOX_TIME_SCALE must be a positive number (got "${value}")`);
  return scale;
}
