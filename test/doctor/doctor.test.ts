import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors.ts';
import { formatChecks, runDoctor, type DoctorCheck } from '../../src/doctor/run-doctor.ts';
import { missingScopes } from '../../src/shopify/operations/fetch-access-scopes.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createKlaviyoSandbox } from '../../src/sandbox/klaviyo/server.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { closedPort } from '../helpers/closed-port.ts';
import { runCli } from '../helpers/run-cli.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { syncAgainst, tempStorePath } from '../sync/sync-helpers.ts';

const doctor = (env: NodeJS.ProcessEnv, storePath = tempStorePath()) =>
  runDoctor({ env, storePath, fetch, now: Date.now, sleep: (ms) => delay(ms), random: () => 0.5, timeoutMs: 5000 });
const byName = (checks: DoctorCheck[]) => Object.fromEntries(checks.map((check) => [check.name, check]));

describe('tiersync doctor against the sandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ customers: 40, seed: 12 });
  });
  afterAll(() => sandbox.close());

  it('checks config, environment, Shopify (reachable, token, version, scopes, store) and Klaviyo (key, list quota), one line each', async () => {
    const checks = byName(await doctor(sandbox.env));
    expect(Object.keys(checks)).toEqual([
      'config', 'environment', 'shopify reachable', 'shopify token', 'shopify API version', 'shopify scopes', 'store', 'klaviyo key', 'klaviyo list quota',
    ]);
    for (const name of Object.keys(checks)) {
      expect(checks[name]?.ok, `${name}: ${checks[name]?.detail}`).toBe(true);
    }
    expect(checks['shopify API version']?.detail).toBe('asked for 2026-07, served 2026-07');
    expect(checks['shopify scopes']?.detail).toBe('granted: read_orders, read_all_orders, read_customers, write_customers');
    expect(checks['klaviyo list quota']?.detail).toBe("0 of 15 managed lists exist; the first sync creates 15 (Klaviyo allows 150 a day)");
  });

  it('names what is wrong and what to do: a bad Klaviyo key, a blank variable, a refused connection', async () => {
    const port = await closedPort();
    const checks = await doctor({ ...sandbox.env, KLAVIYO_API_KEY: 'AbC123', TIERSYNC_SHOPIFY_URL: `http://127.0.0.1:${port}`, TIERSYNC_KLAVIYO_URL: '  ' });
    const named = byName(checks);
    expect(named.environment?.detail).toMatch(/blank, which counts as unset: TIERSYNC_KLAVIYO_URL$/);
    expect(named['shopify reachable']).toMatchObject({ ok: false });
    expect(named['shopify reachable']?.detail).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/admin/api/2026-07/graphql\\.json: ECONNREFUSED \\(errno -\\d+\\) connecting to 127\\.0\\.0\\.1:${port}$`));
    // TIERSYNC_KLAVIYO_URL blank counts as unset: the real Klaviyo host would be asked, so point it back at the sandbox.
    const klaviyo = byName(await doctor({ ...sandbox.env, KLAVIYO_API_KEY: 'AbC123' }))['klaviyo key'];
    expect(klaviyo).toMatchObject({ ok: false, fix: 'set KLAVIYO_API_KEY to a Klaviyo private API key (pk_…), not the public site id' });
    expect(klaviyo?.detail).toMatch(/HTTP 400/);
    const text = formatChecks(checks);
    expect(text.split('\n').filter(Boolean).every((line) => /^[✓✗] /.test(line))).toBe(true);
    expect(text).toContain('✗ shopify reachable: ');
  });

  it('a Klaviyo key without a read scope fails the key check, saying which scope to give', async () => {
    const limited = createKlaviyoSandbox({ apiKey: sandbox.env.KLAVIYO_API_KEY, seed: 2, scopes: ['lists:read', 'lists:write'] });
    const base = await limited.listen(0);
    try {
      const check = byName(await doctor({ ...sandbox.env, TIERSYNC_KLAVIYO_URL: base }))['klaviyo key'];
      expect(check).toMatchObject({ ok: false, fix: 'give the private key the lists, profiles and segments read/write scopes (Klaviyo → Settings → API keys; segments since tiersync creates native segments)' });
      expect(check?.detail).toMatch(/HTTP 403: .*profiles:read/);
    } finally {
      await limited.close();
    }
  });

  it("refuses a store that holds another shop, naming the file and both shops", async () => {
    const storePath = tempStorePath();
    const store = openStore(storePath);
    store.shop.record({ shopId: 'gid://shopify/Shop/999', domain: 'other.myshopify.com' });
    store.close();
    const check = byName(await doctor(sandbox.env, storePath)).store;
    expect(check?.ok).toBe(false);
    expect(check?.detail.startsWith(`${storePath} belongs to other.myshopify.com (gid://shopify/Shop/999), but the token is for tiersync-sandbox.myshopify.com (gid://shopify/Shop/`)).toBe(true);
  });

  it('names a blank required variable', async () => {
    const named = byName(await doctor({ ...sandbox.env, SHOPIFY_ADMIN_TOKEN: '' }));
    expect(named.environment?.ok).toBe(false);
    expect(named.environment?.detail).toContain('SHOPIFY_ADMIN_TOKEN is blank in .env or the environment, which counts as unset');
  });

  it('sync reports a wrong Klaviyo key before pulling anything from Shopify', async () => {
    const storePath = tempStorePath();
    const error = await syncAgainst({ ...sandbox, env: { ...sandbox.env, KLAVIYO_API_KEY: `pk_${'ef56'.repeat(8)}` } }, storePath).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const store = openStore(storePath);
    try {
      expect(store.orders.countOrders()).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe('tiersync doctor with scopes missing', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ customers: 20, seed: 14, scopes: ['read_orders', 'read_customers', 'write_customers'] });
  });
  afterAll(() => sandbox.close());

  it('names each missing scope, why tiersync needs it and how to grant it', async () => {
    const check = byName(await doctor(sandbox.env))['shopify scopes'];
    expect(check?.ok).toBe(false);
    expect(check?.detail).toBe('missing read_all_orders (to read orders older than 60 days (the whole history))');
    expect(check?.fix).toMatch(/^grant them in the Shopify admin, Settings > Apps and sales channels > Develop apps/);
  });
});

describe('scope check', () => {
  it('names every required scope not granted', () => {
    expect(missingScopes(['read_orders', 'read_customers'])).toEqual(['read_all_orders', 'write_customers']);
    expect(missingScopes(['read_all_orders', 'read_customers', 'read_orders', 'write_customers', 'read_products'])).toEqual([]);
  });
});

describe('tiersync doctor on the command line', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ customers: 20, seed: 13 });
  });
  afterAll(() => sandbox.close());

  it('--json prints { ok, checks } and exits 0 when all pass, 1 when one fails', async () => {
    // The sandbox's variables win over any .env in the working directory (dotenv never overrides).
    const env = sandbox.env;
    const passing = await runCli(['doctor', '--json', '--store', tempStorePath()], { env });
    expect(passing.code).toBe(0);
    const report = JSON.parse(passing.stdout) as { ok: boolean; checks: DoctorCheck[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.name)).toContain('klaviyo key');
    const failing = await runCli(['doctor', '--store', tempStorePath()], { env: { ...env, KLAVIYO_API_KEY: 'AbC123' } });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^✗ klaviyo key: .*HTTP 400.* → set KLAVIYO_API_KEY to a Klaviyo private API key/m);
  });
});
