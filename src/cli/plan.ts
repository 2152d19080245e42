import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions } from './parse-options.ts';
import { runPipeline } from './run-pipeline.ts';

const optionsSchema = z.object({
  config: z.string().optional(),
  json: z.boolean().optional(),
  out: z.string().regex(/\.(json|csv)$/, 'use a .json or .csv file name').optional(),
  store: z.string().optional(),
  full: z.boolean().optional(),
});

/** `tiersync plan [--out plan.json|plan.csv] [--full] [--json]`: the dry run; writes nothing to Shopify or Klaviyo. */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('dry run: pull and compute like a sync, print what it would change, write nothing to Shopify or Klaviyo')
    .option('--out <file>', 'also write the plan as JSON or CSV (plan.json, plan.csv)')
    .option('--json', 'print one JSON object (operations planned by kind) instead of the summary')
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .option('--store <file>', 'order store (default ./.tiersync/<shop>.db)')
    .option('--full', "read tiersync's Klaviyo profile properties in full this run (otherwise every klaviyo.full_observation_days)")
    .action(async (raw: unknown) => {
      await runPipeline('plan', parseOptions(optionsSchema, raw));
    });
}
