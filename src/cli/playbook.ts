import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { readLiveSizes } from '../activation/live-sizes.ts';
import { buildPlaybook, type LiveSizes } from '../activation/playbook.ts';
import { readActivationRecords } from '../activation/records.ts';
import { readCredentials } from '../config/env.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';
import { createKlaviyoClient } from '../klaviyo/client.ts';
import { playbookSection } from '../report/html/playbook-section.ts';
import { htmlPage } from '../report/html/render-report.ts';
import { escapeXml } from '../report/html/svg.ts';
import { playbookCsv } from '../report/playbook/playbook-csv.ts';
import { playbookMarkdown } from '../report/playbook/playbook-markdown.ts';
import { createShopifyClient } from '../shopify/client.ts';
import type { Store } from '../store/open-store.ts';
import { isoDate } from './option-types.ts';
import { parseOptions } from './parse-options.ts';
import { sandboxTimeScale } from './run-pipeline.ts';
import { readSegmentsSource } from './segments-source.ts';

const optionsSchema = z
  .object({
    out: z
      .string()
      .min(1)
      .refine((path) => ['.md', '.csv', '.html'].includes(extname(path).toLowerCase()), 'must end in .md, .csv or .html (the format follows the extension)')
      .optional(),
    config: z.string().optional(),
    orders: z.string().min(1).optional(),
    asOf: isoDate('--as-of').optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'a 3-letter ISO currency code, e.g. USD').optional(),
    store: z.string().min(1).optional(),
  })
  .refine((options) => !options.orders || options.asOf, { path: ['asOf'], message: 'is required with --orders (the date the playbook is computed at)' });

type PlaybookOptions = z.output<typeof optionsSchema>;

/**
 * `tiersync playbook [--store FILE] [--out FILE.md|FILE.csv|FILE.html] [--orders FILE --as-of DATE] [--config FILE] [--currency CODE]`
 *
 * @example
 * registerPlaybook(program); // then: tiersync playbook --out playbook.md
 */
export function registerPlaybook(program: Command): void {
  program
    .command('playbook')
    .description('write the master playbook: per segment its size, value, strategy and platform setup, with live sizes checked against the shop')
    .option('--out <file>', 'write Markdown (.md), CSV (.csv) or HTML (.html); default: Markdown to stdout')
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .option('--orders <file>', 'compute from this orders file instead of the store (needs --as-of; live sizes are not checked)')
    .option('--as-of <iso-date>', 'compute at this date (default: the latest completed sync)')
    .option('--store <file>', 'order store (default ./.tiersync/<shop>.db)')
    .option('--currency <code>', 'shop currency (default: the orders\' most common currency, else USD)')
    .action(async (raw: unknown) => {
      await runPlaybook(parseOptions(optionsSchema, raw));
    });
}

async function runPlaybook(options: PlaybookOptions): Promise<void> {
  loadDotenv({ quiet: true });
  const config = await loadConfig(options.config, { explicit: options.config !== undefined });
  const source = await readSegmentsSource(options, config);
  try {
    const currency = options.currency ?? source.collected.currency ?? 'USD';
    const live = options.orders || !source.store ? null : await liveSizes(config, source.store);
    const store = source.store;
    const rows = buildPlaybook({ segments: source.collected.segments, config, live, ...(store ? { isHeldOut: (id: string) => store.holdouts.heldOut(id) === true } : {}) });
    const doc = { rows, currency, asOf: source.asOf, shop: source.shop, source: source.description };
    const format = options.out ? extname(options.out).toLowerCase() : '.md';
    const text =
      format === '.csv'
        ? playbookCsv(rows, currency)
        : format === '.html'
          ? htmlPage(`Segment playbook${doc.shop ? ` — ${doc.shop}` : ''}`, [`<h1>Segment playbook${doc.shop ? ` — ${doc.shop}` : ''}</h1>`, `<p class="meta">${escapeXml(source.description)}</p>`, playbookSection(rows, currency)])
          : playbookMarkdown(doc);
    if (!options.out) {
      process.stdout.write(text);
      return;
    }
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, text);
    const checked = live ? 'live sizes checked' : 'live sizes not checked (no credentials, or --orders)';
    process.stderr.write(`wrote ${options.out} (${rows.length} segments; ${checked})\n`);
  } finally {
    source.store?.close();
  }
}

/** Live sizes when the environment has the shop's credentials; null (not checked) otherwise. */
async function liveSizes(config: Config, store: Store): Promise<Map<string, LiveSizes> | null> {
  if (!process.env.SHOPIFY_SHOP || !process.env.SHOPIFY_ADMIN_TOKEN) return null;
  const credentials = readCredentials(process.env);
  const common = { sleep: (ms: number) => delay(ms), now: Date.now, random: Math.random };
  const shopify = createShopifyClient({ shop: credentials.shop, accessToken: credentials.shopifyToken, baseUrl: credentials.shopifyBaseUrl, ...common });
  const klaviyo = credentials.klaviyoApiKey
    ? createKlaviyoClient({ apiKey: credentials.klaviyoApiKey, baseUrl: credentials.klaviyoBaseUrl, timeScale: sandboxTimeScale(process.env.TIERSYNC_SANDBOX_TIME_SCALE), ...common })
    : null;
  return readLiveSizes({ config, shopify, klaviyo, records: readActivationRecords(store) });
}
