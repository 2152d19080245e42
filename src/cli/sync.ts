import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions } from './parse-options.ts';
import { runPipeline } from './run-pipeline.ts';

const optionsSchema = z.object({
  config: z.string().optional(),
  json: z.boolean().optional(),
  force: z.boolean().optional(),
  store: z.string().optional(),
  full: z.boolean().optional(),
});

/** `tiersync sync [--force] [--full] [--json] [--config FILE]`: pull, plan, apply (one run; for cron). */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('pull orders, compute segments, and write the changes to Shopify tags/metafields and Klaviyo profiles/lists')
    .option('--force', 'apply even when the plan changes more customers than guard.max_changed_share')
    .option('--json', 'print one JSON object (operations applied by kind) instead of the summary')
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .option('--store <file>', 'order store (default ./.tiersync/<shop>.db)')
    .option('--full', "read tiersync's Klaviyo profile properties in full this run (otherwise every klaviyo.full_observation_days)")
    .action(async (raw: unknown) => {
      await runPipeline('sync', parseOptions(optionsSchema, raw));
    });
}
