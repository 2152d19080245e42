import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { sandboxState, syncAgainst, tempStorePath, TIME_SCALE } from '../sync/sync-helpers.ts';

const TAGS: Record<string, string> = {
  Champions: 'ltv:champion', VIP: 'ltv:vip', 'High-Value': 'ltv:high-value', 'Mid-Tier': 'ltv:mid-tier', 'Low-Value': 'ltv:low-value', New: 'ltv:new',
  'At Risk': 'churn:at-risk', 'Lapsed High-Value': 'lapsed:high-value', 'Lapsed Low-Value': 'lapsed:low-value', Reactivate: 'reactivate', Suppressed: 'suppressed',
};

describe('tiersync playbook', () => {
  it('after a sync, writes a CSV whose sizes equal the live tag counts, and checks the live segment and list sizes', async () => {
    const sandbox = await startTestSandbox({ customers: 150, seed: 5 });
    try {
      const storePath = tempStorePath();
      await syncAgainst(sandbox, storePath);
      const dir = mkdtempSync(join(tmpdir(), 'tiersync-playbook-'));
      const env = { ...sandbox.env, TIERSYNC_SANDBOX_TIME_SCALE: String(TIME_SCALE) };
      const csvResult = await runCli(['playbook', '--store', storePath, '--out', join(dir, 'x.csv')], { env });
      expect(csvResult.stderr).toContain('(11 segments; live sizes checked)');
      expect(csvResult.code).toBe(0);
      const rows = parse(await readFile(join(dir, 'x.csv'), 'utf8'), { columns: true }) as Record<string, string>[];

      const { shopify } = await sandboxState(sandbox);
      const tagCount = (tag: string) => shopify.customers.filter((c) => c.tags.includes(tag)).length;
      expect(rows.map((row) => row.segment)).toEqual(Object.keys(TAGS));
      for (const row of rows) {
        expect(Number(row.customers), row.segment).toBe(tagCount(TAGS[row.segment!]!));
        expect(row.live_shopify_segment_size, row.segment).toBe(row.customers);
        expect(row.size_check, `${row.segment} ${row.live_klaviyo_list_size} ${row.platform_setup}`).toBe('matches');
      }
      expect(rows.reduce((sum, row, index) => sum + (index < 6 ? Number(row.customers) : 0), 0)).toBe(shopify.customers.filter((c) => c.tags.some((t) => t.startsWith('ltv:'))).length);

      const markdown = await runCli(['playbook', '--store', storePath], { env });
      expect(markdown.code).toBe(0);
      expect(markdown.stdout).toMatch(/^# Segment playbook\n/);
      expect(markdown.stdout).toContain('## Lapsed High-Value (overlay)');
      expect(markdown.stdout).toContain('- Shopify segment: "tiersync: VIP" — `customer_tags CONTAINS \'ltv:vip\'`');

    } finally {
      await sandbox.close();
    }
    // Two CLI processes (each starts tsx, about 5 s on a loaded machine) after a sync.
  }, 60_000);
});
