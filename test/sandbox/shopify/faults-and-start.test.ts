import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../src/sandbox/faults.ts';
import { createShopifySandbox } from '../../../src/sandbox/shopify/server.ts';
import { SANDBOX_ENV_NAMES } from '../../../src/sandbox/start-sandbox.ts';
import { generateShop } from '../../../src/synth/generate-shop.ts';
import { shopifyGraphQL, startTestSandbox, TEST_AS_OF } from '../../helpers/sandbox.ts';

async function outcomes(seed: number, count: number): Promise<string[]> {
  const shopify = createShopifySandbox({
    accessToken: 'token',
    shopDomain: 'faults.myshopify.com',
    records: generateShop({ seed: 1, customers: 5, asOf: TEST_AS_OF }),
    plan: 'plus',
    seed,
    faults: parseFaultSpec('5xx=0.2,reset=0.1,429=0.2,slow=0.1:1ms'),
  });
  const base = await shopify.listen(0);
  const seen: string[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      try {
        const answer = await shopifyGraphQL(base, '{ shop { name } }', {}, { token: 'token' });
        seen.push(answer.status === 429 ? `429:${answer.headers.get('retry-after')}` : String(answer.status));
      } catch {
        seen.push('reset');
      }
    }
    expect(shopify.stats().faults.reset).toBe(seen.filter((outcome) => outcome === 'reset').length);
  } finally {
    await shopify.close();
  }
  return seen;
}

describe('Shopify sandbox: fault injection', () => {
  it('injects the same faults for the same seed, in the API’s formats', async () => {
    const first = await outcomes(42, 40);
    expect(await outcomes(42, 40)).toEqual(first);
    expect(await outcomes(43, 40)).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(['200', '500', '503', '429:2', 'reset']));
  });

  it('never faults the sandbox endpoints', async () => {
    const shopify = createShopifySandbox({
      accessToken: 'token',
      shopDomain: 'faults.myshopify.com',
      records: [],
      plan: 'standard',
      seed: 1,
      faults: parseFaultSpec('5xx=1'),
    });
    const base = await shopify.listen(0);
    try {
      expect((await fetch(`${base}/__sandbox/stats`)).status).toBe(200);
      const answer = await fetch(`${base}/admin/api/2026-07/graphql.json`, { method: 'POST', body: '{}' });
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({ errors: 'Internal Server Error' });
    } finally {
      await shopify.close();
    }
  });
});

describe('startSandbox', () => {
  it('starts both emulators and seeds Klaviyo with profiles for about 60% of the customers with an email', async () => {
    const sandbox = await startTestSandbox({ customers: 500 });
    try {
      expect(Object.keys(sandbox.env).sort()).toEqual([...SANDBOX_ENV_NAMES].sort());
      expect(sandbox.env.SHOPIFY_ADMIN_TOKEN).not.toMatch(/^shpat_[0-9a-f]{32}$/);
      expect(sandbox.env.TIERSYNC_SHOPIFY_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sandbox.env.TIERSYNC_KLAVIYO_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const withEmail = sandbox.shopify.state().customers.filter((customer) => customer.email !== null);
      const profiles = (sandbox.klaviyo.state() as { profiles: { email: string | null; external_id: string | null }[] }).profiles;
      expect(profiles.length).toBe(sandbox.counts.klaviyoProfiles);
      expect(profiles.length / withEmail.length).toBeGreaterThan(0.5);
      expect(profiles.length / withEmail.length).toBeLessThan(0.7);
      const customersById = new Map(withEmail.map((customer) => [customer.id, customer.email]));
      for (const profile of profiles) expect(customersById.get(profile.external_id as string)).toBe(profile.email);
      const shop = await shopifyGraphQL(sandbox, '{ shop { myshopifyDomain } }');
      expect(shop.body.data.shop.myshopifyDomain).toBe(`${sandbox.env.SHOPIFY_SHOP}.myshopify.com`);
    } finally {
      await sandbox.close();
    }
  });

  it('`tiersync sandbox` prints exactly the environment first, then runs until SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../../bin/tiersync.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'sandbox', '--customers', '20', '--seed', '5', '--time-scale', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.split('\n').length > SANDBOX_ENV_NAMES.length && resolve());
        child.on('exit', () => reject(new Error(`tiersync sandbox exited early: ${stdout}`)));
      });
      const lines = stdout.trim().split('\n');
      expect(lines.map((line) => line.split('=')[0])).toEqual(SANDBOX_ENV_NAMES);
      const env = Object.fromEntries(lines.map((line) => line.split('=') as [string, string]));
      const answer = await shopifyGraphQL(env.TIERSYNC_SHOPIFY_URL as string, '{ customers(first: 50) { nodes { id } } }', {}, { token: env.SHOPIFY_ADMIN_TOKEN });
      expect(answer.body.data.customers.nodes).toHaveLength(20);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
