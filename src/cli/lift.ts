import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { readCredentials } from '../config/env.ts';
import { loadConfig } from '../config/load-config.ts';
import { readLift } from '../report/lift-readout.ts';
import { formatLift } from '../report/lift-text.ts';
import { defaultStorePath, openStore } from '../store/open-store.ts';
import { isoDate } from './option-types.ts';
import { parseOptions } from './parse-options.ts';
import { UserError } from '../errors.ts';

const optionsSchema = z.object({
  store: z.string().min(1).optional(),
  since: isoDate('--since').optional(),
  json: z.boolean().optional(),
  config: z.string().optional(),
});

/** `tiersync lift [--store FILE] [--since DATE] [--json] [--config FILE]`: treated vs holdout, per segment. */
export function registerLift(program: Command): void {
  program
    .command('lift')
    .description('compare treated and held-out customers per segment: orders and revenue since assignment, with a 95% interval')
    .option('--store <file>', 'order store (default ./.tiersync/<shop>.db)')
    .option('--since <iso-date>', 'count orders from this date (default: the first assignment)')
    .option('--json', 'print one JSON object {"since", "segments": [...]} instead of the table')
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .action(async (raw: unknown) => {
      const options = parseOptions(optionsSchema, raw);
      loadDotenv({ quiet: true });
      const config = await loadConfig(options.config, { explicit: options.config !== undefined });
      const path = options.store ?? defaultStorePath(readCredentials(process.env).shop);
      if (!existsSync(path)) throw new UserError(`${path}: no order store yet; run \`tiersync sync\` first (or pass --store FILE)`);
      const store = openStore(path);
      try {
        const readout = readLift(store, config, options.since);
        if (!readout) {
          throw new UserError(`${path}: nobody is assigned to a holdout yet; a \`tiersync sync\` with holdout.share above 0 (default 0.1) assigns every segmented customer`);
        }
        if (options.json) process.stdout.write(`${JSON.stringify(readout)}\n`);
        else process.stdout.write(formatLift(readout, store.orders.mostCommonCurrency() ?? 'USD', config.holdout.lift_min_customers));
      } finally {
        store.close();
      }
    });
}
