import type { Command } from 'commander';
import { z } from 'zod';
import { parseFaultSpec } from '../sandbox/faults.ts';
import { DEFAULT_SANDBOX_SCOPES } from '../sandbox/shopify/resolvers/access-scopes.ts';
import { SANDBOX_ENV_NAMES, startSandbox } from '../sandbox/start-sandbox.ts';
import { limitHeapGrowth } from './heap-growth.ts';
import { parseOptions } from './parse-options.ts';
import { UserError } from '../errors.ts';

const wholeNumber = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${flag} must be a whole number`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `${flag} must be between ${min} and ${max}`);

const optionsSchema = z.object({
  port: wholeNumber('--port', 0, 65_534).default(0),
  customers: wholeNumber('--customers', 0, 10_000_000).default(10_000),
  seed: wholeNumber('--seed', 0, 2 ** 32 - 1).default(1),
  historyMonths: wholeNumber('--history-months', 1, 240).default(24),
  plan: z.enum(['standard', 'advanced', 'plus', 'enterprise']).default('standard'),
  faults: z.string().default(''),
  timeScale: z
    .string()
    .regex(/^\d+(\.\d+)?$/, '--time-scale must be a positive number')
    .transform(Number)
    .refine((value) => value > 0, '--time-scale must be a positive number')
    .default(1),
  scopes: z
    .string()
    .default(DEFAULT_SANDBOX_SCOPES.join(','))
    .transform((text) => text.split(',').map((scope) => scope.trim()).filter((scope) => scope !== ''))
    .refine((scopes) => scopes.every((scope) => /^(read|write)_[a-z_]+$/.test(scope)), '--scopes must be a comma-separated list of access scopes, e.g. read_orders,read_customers'),
  bulkGrouping: z.enum(['grouped', 'scattered'], { message: '--bulk-grouping must be grouped or scattered' }).default('scattered'),
});

/**
 * `tiersync sandbox [--port N] [--customers N] [--seed N] [--history-months N] [--plan P] [--faults SPEC] [--time-scale N] [--scopes LIST] [--bulk-grouping MODE]`:
 * starts the Shopify and Klaviyo emulators on loopback, prints the environment a sync needs
 * (one `NAME=value` a line, before anything else) and runs until SIGINT or SIGTERM.
 *
 * @example
 * registerSandbox(program); // then: tiersync sandbox --customers 1000 --seed 7
 */
export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run local Shopify Admin and Klaviyo emulators serving a synthetic shop; prints the environment to point tiersync at them')
    .option('--port <n>', 'Shopify listens on N and Klaviyo on N+1 (default: free ports)')
    .option('--customers <n>', 'customers in the synthetic shop', '10000')
    .option('--seed <n>', 'seed of the synthetic shop and of fault injection', '1')
    .option('--history-months <n>', 'months of order history in the synthetic shop (older customers go dormant)', '24')
    .option('--plan <plan>', 'Shopify plan whose rate limits apply: standard, advanced, plus or enterprise', 'standard')
    .option('--faults <spec>', 'inject faults, e.g. 5xx=0.02,reset=0.01,slow=0.05:2000ms,429=0.05', '')
    .option('--time-scale <n>', 'restore rate limits and run bulk jobs N times faster', '1')
    .option('--scopes <list>', 'access scopes the Shopify app is granted, comma-separated', DEFAULT_SANDBOX_SCOPES.join(','))
    .option('--bulk-grouping <mode>', 'bulk query output without groupObjects: grouped (children right after their parent) or scattered (anywhere)', 'scattered')
    .action(async (raw: unknown) => {
      const options = parseOptions(optionsSchema, raw);
      let faults;
      try {
        faults = parseFaultSpec(options.faults);
      } catch (error) {
        throw new UserError(`--faults: ${(error as Error).message}`, 2, { cause: error });
      }
      // The emulators' peaks while serving a sync are garbage (decoded rows, JSONL lines), not
      // what they keep: capped like a sync's, so a 1,000,000-customer shop fits the default heap.
      limitHeapGrowth();
      const sandbox = await startSandbox({ ...options, faults });
      process.stdout.write(SANDBOX_ENV_NAMES.map((name) => `${name}=${sandbox.env[name]}\n`).join(''));
      process.stderr.write(
        `sandbox: ${sandbox.counts.customers} customers, ${sandbox.counts.orders} orders over ${options.historyMonths} months (seed ${options.seed}, ${options.plan} plan, scopes ${options.scopes.join(',')}), ` +
          `${sandbox.counts.klaviyoProfiles} Klaviyo profiles; stats at ${sandbox.shopifyUrl}/__sandbox/stats and ${sandbox.klaviyoUrl}/__sandbox/stats. Ctrl-C stops.\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sandbox.close();
    });
}
