import type { Command } from 'commander';
import { setTimeout as delay } from 'node:timers/promises';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { formatChecks, runDoctor } from '../doctor/run-doctor.ts';
import { parseOptions } from './parse-options.ts';

const optionsSchema = z.object({
  config: z.string().optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/**
 * `tiersync doctor [--json] [--config FILE] [--store FILE]`: checks Shopify, Klaviyo, the
 * config and the store before a first sync; one line a check; exit 0 when all pass, 1 otherwise.
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the Shopify token, API version and scopes, the store, the Klaviyo key and list quota, and the config; writes nothing')
    .option('--json', 'print one JSON object { ok, checks: [{ name, ok, detail, fix }] }')
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .option('--store <file>', 'order store (default ./.tiersync/<shop>.db)')
    .action(async (raw: unknown) => {
      const options = parseOptions(optionsSchema, raw);
      loadDotenv({ quiet: true });
      const checks = await runDoctor({
        env: process.env,
        ...(options.config ? { configPath: options.config } : {}),
        ...(options.store ? { storePath: options.store } : {}),
        fetch,
        now: Date.now,
        sleep: (ms) => delay(ms),
        random: Math.random,
      });
      const ok = checks.every((check) => check.ok);
      process.stdout.write(options.json ? `${JSON.stringify({ ok, checks })}\n` : formatChecks(checks));
      process.exitCode = ok ? 0 : 1;
    });
}
