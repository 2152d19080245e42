import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';
import { runCli } from '../helpers/run-cli.ts';

const sandbox = useSandbox({ customers: 30 });
const cwd = mkdtempSync(join(tmpdir(), 'tiersync-cli-'));
const clean = { SHOPIFY_SHOP: '', SHOPIFY_ADMIN_TOKEN: '', KLAVIYO_API_KEY: '', TIERSYNC_SHOPIFY_URL: '', TIERSYNC_KLAVIYO_URL: '' };

describe('sync and plan errors name what to fix', () => {
  it('refuses to start without credentials and says which are missing', async () => {
    const env = Object.fromEntries(Object.keys(clean).map((k) => [k, undefined]));
    const result = await runCli(['plan'], { cwd, env: { ...process.env, ...env } as NodeJS.ProcessEnv });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing or invalid credentials');
    expect(result.stderr).toContain('SHOPIFY_SHOP is not set');
  });

  it('reports a wrong Shopify token without printing it, and exits non-zero', async () => {
    // Built at run time so that no token-shaped literal sits in the repository.
    const token = `shpat_${'0123456789abcdef'.repeat(2)}`;
    const result = await runCli(['sync', '--store', join(cwd, 'wrong.db')], { cwd, env: { ...sandbox().env, SHOPIFY_ADMIN_TOKEN: token } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused the Admin API access token \(HTTP 401\): check SHOPIFY_ADMIN_TOKEN/);
    expect(result.stderr + result.stdout).not.toContain(token);
  });

  it('reports a wrong Klaviyo key by name', async () => {
    const result = await runCli(['plan', '--store', join(cwd, 'klaviyo.db')], { cwd, env: { ...sandbox().env, KLAVIYO_API_KEY: 'pk_wrong' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KLAVIYO_API_KEY');
  });

  it('plan with the blank KLAVIYO_API_KEY= of .env.example says once that Klaviyo is off, confirms --out and names the next step', async () => {
    const out = join(cwd, 'no-klaviyo-plan.csv');
    const result = await runCli(['plan', '--out', out, '--store', join(cwd, 'no-klaviyo.db')], { cwd, env: { ...sandbox().env, KLAVIYO_API_KEY: '' } });
    expect(result.code).toBe(0);
    expect(result.stderr.match(/Klaviyo is off/g)).toEqual(['Klaviyo is off']);
    expect(result.stderr).toContain('KLAVIYO_API_KEY is not set: Klaviyo is off; this run plans and writes Shopify only');
    expect(result.stderr).toMatch(new RegExp(`wrote ${out.replace(/[.\\]/g, '\\$&')} \\(\\d+ operations\\)`));
    expect(result.stdout).toContain('profiles_upsert 0');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('to apply: tiersync sync');
  });

  it('plan --json prints one JSON object with the operation counts', async () => {
    const result = await runCli(['plan', '--json', '--store', join(cwd, 'plan.db')], { cwd, env: { ...sandbox().env } });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json.operations).sort()).toEqual(['list_add', 'list_remove', 'metafields_delete', 'metafields_set', 'profiles_unset', 'profiles_upsert', 'tags_add', 'tags_remove']);
    expect(json.operations.tags_add).toBeGreaterThan(0);
    expect(json.mode).toBe('plan');
  });
});
