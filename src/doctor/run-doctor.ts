import { existsSync } from 'node:fs';
import { loadConfig } from '../config/load-config.ts';
import { blankVariables, readCredentials, type Credentials } from '../config/env.ts';
import type { Config } from '../config/schema.ts';
import { ApiError, AuthError } from '../errors.ts';
import { createKlaviyoClient } from '../klaviyo/client.ts';
import { KLAVIYO_LIMITS } from '../klaviyo/rate-limits.ts';
import { managedListNames } from '../reconcile/managed.ts';
import { SHOPIFY_API_VERSION } from '../shopify/api-version.ts';
import { createShopifyClient } from '../shopify/client.ts';
import { fetchAccessScopes, HOW_TO_GRANT_SCOPES, missingScopes, REQUIRED_SCOPES } from '../shopify/operations/fetch-access-scopes.ts';
import { defaultStorePath, openStore } from '../store/open-store.ts';
import { probeShopify } from './shopify-probe.ts';

export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found. */
  readonly detail: string;
  /** What to do, when not ok. */
  readonly fix?: string;
}

export interface DoctorDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly configPath?: string;
  readonly storePath?: string;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * `tiersync doctor`: every check a merchant needs to pass before a first sync, one after the
 * other, each answered ✓ or ✗ with what to do. Cheap: a handful of reads, nothing written
 * (the store is only opened when it exists). A check that cannot run because an earlier one
 * failed is reported as failed, naming the earlier one.
 *
 * @example
 * const checks = await runDoctor({ env: process.env, fetch, now: Date.now, sleep, random: Math.random });
 * checks.every((check) => check.ok); // exit 0
 */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => void checks.push(check);
  const timeoutMs = deps.timeoutMs ?? 10_000;

  let config: Config | null = null;
  try {
    config = await loadConfig(deps.configPath, { explicit: deps.configPath !== undefined });
    add({ name: 'config', ok: true, detail: `${deps.configPath ?? 'config/tiersync.json'} is valid` });
  } catch (error) {
    add({ name: 'config', ok: false, detail: (error as Error).message, fix: 'correct the settings named above (README "Configuration")' });
  }

  const blank = blankVariables(deps.env);
  let credentials: Credentials | null = null;
  try {
    credentials = readCredentials(deps.env);
    const notes = blank.length ? `; blank, which counts as unset: ${blank.join(', ')}` : '';
    add({ name: 'environment', ok: true, detail: `SHOPIFY_SHOP=${credentials.shop}, SHOPIFY_ADMIN_TOKEN set, KLAVIYO_API_KEY ${credentials.klaviyoApiKey ? 'set' : 'unset (Shopify only)'}${notes}` });
  } catch (error) {
    add({ name: 'environment', ok: false, detail: (error as Error).message, fix: 'set the variables named above in .env (see .env.example); a blank value counts as unset' });
  }

  if (credentials) await shopifyChecks(credentials, deps, timeoutMs, add);
  else add({ name: 'shopify', ok: false, detail: 'not checked: the environment is incomplete', fix: 'fix the environment first' });

  if (credentials?.klaviyoApiKey && config) await klaviyoChecks(credentials, config, deps, timeoutMs, add);
  return checks;
}

async function shopifyChecks(credentials: Credentials, deps: DoctorDeps, timeoutMs: number, add: (check: DoctorCheck) => void): Promise<void> {
  const probe = await probeShopify({ shop: credentials.shop, token: credentials.shopifyToken, baseUrl: credentials.shopifyBaseUrl, fetch: deps.fetch, timeoutMs });
  if (probe.kind === 'unreachable') {
    add({ name: 'shopify reachable', ok: false, detail: `${probe.url}: ${probe.reason}`, fix: 'check SHOPIFY_SHOP (and TIERSYNC_SHOPIFY_URL if set) and the network' });
    return;
  }
  add({ name: 'shopify reachable', ok: true, detail: probe.url });
  if (probe.kind === 'refused') {
    add({ name: 'shopify token', ok: false, detail: `HTTP ${probe.status}: the Admin API refused SHOPIFY_ADMIN_TOKEN`, fix: "copy the Admin API access token of your custom app into SHOPIFY_ADMIN_TOKEN (Settings → Apps → Develop apps → API credentials)" });
    return;
  }
  if (probe.kind === 'unexpected') {
    add({ name: 'shopify token', ok: false, detail: `HTTP ${probe.status}: unexpected answer (${probe.reason})`, fix: 'check that SHOPIFY_SHOP / TIERSYNC_SHOPIFY_URL point at a Shopify Admin API' });
    return;
  }
  add({ name: 'shopify token', ok: true, detail: `accepted for ${probe.shop.myshopifyDomain}` });
  const versionOk = probe.servedVersion === SHOPIFY_API_VERSION;
  add({
    name: 'shopify API version',
    ok: versionOk,
    detail: `asked for ${SHOPIFY_API_VERSION}, served ${probe.servedVersion ?? '(no X-Shopify-API-Version header)'}`,
    ...(versionOk ? {} : { fix: `Shopify no longer serves ${SHOPIFY_API_VERSION}: upgrade tiersync` }),
  });

  const client = createShopifyClient({
    shop: credentials.shop, accessToken: credentials.shopifyToken, baseUrl: credentials.shopifyBaseUrl,
    sleep: deps.sleep, now: deps.now, random: deps.random, maxAttempts: 2, timeoutMs, fetch: deps.fetch,
  });
  try {
    const missing = missingScopes(await fetchAccessScopes(client));
    add(
      missing.length === 0
        ? { name: 'shopify scopes', ok: true, detail: `granted: ${Object.keys(REQUIRED_SCOPES).join(', ')}` }
        : {
            name: 'shopify scopes',
            ok: false,
            detail: `missing ${missing.map((scope) => `${scope} (to ${REQUIRED_SCOPES[scope]})`).join(', ')}`,
            fix: `grant them ${HOW_TO_GRANT_SCOPES}`,
          },
    );
  } catch (error) {
    add({ name: 'shopify scopes', ok: false, detail: `could not read the granted scopes: ${(error as Error).message}`, fix: 'check the token and the network, then run doctor again' });
  }

  const storePath = deps.storePath ?? defaultStorePath(credentials.shop);
  if (!existsSync(storePath)) {
    add({ name: 'store', ok: true, detail: `${storePath} does not exist yet: the first sync creates it for ${probe.shop.myshopifyDomain}` });
    return;
  }
  const store = openStore(storePath, { now: deps.now });
  try {
    const recorded = store.shop.get();
    if (recorded === null) add({ name: 'store', ok: true, detail: `${storePath} records no shop yet: the next sync records ${probe.shop.id}` });
    else if (recorded.shopId === probe.shop.id) add({ name: 'store', ok: true, detail: `${storePath} belongs to ${probe.shop.myshopifyDomain} (${probe.shop.id})` });
    else {
      add({
        name: 'store',
        ok: false,
        detail: `${storePath} belongs to ${recorded.domain} (${recorded.shopId}), but the token is for ${probe.shop.myshopifyDomain} (${probe.shop.id})`,
        fix: 'point --store at this shop\'s store, or check SHOPIFY_SHOP and SHOPIFY_ADMIN_TOKEN',
      });
    }
  } finally {
    store.close();
  }
}

async function klaviyoChecks(credentials: Credentials, config: Config, deps: DoctorDeps, timeoutMs: number, add: (check: DoctorCheck) => void): Promise<void> {
  const klaviyo = createKlaviyoClient({
    apiKey: credentials.klaviyoApiKey!, baseUrl: credentials.klaviyoBaseUrl, sleep: deps.sleep, now: deps.now, random: deps.random, maxAttempts: 2, timeoutMs,
  });
  try {
    await klaviyo.checkAccess();
    add({ name: 'klaviyo key', ok: true, detail: `${credentials.klaviyoBaseUrl}: lists and profiles readable` });
  } catch (error) {
    const scope = error instanceof AuthError && error.status === 403;
    add({
      name: 'klaviyo key',
      ok: false,
      detail: error instanceof ApiError ? error.message : (error as Error).message,
      fix: scope
        ? 'give the private key the lists, profiles and segments read/write scopes (Klaviyo → Settings → API keys; segments since tiersync creates native segments)'
        : error instanceof AuthError
          ? 'set KLAVIYO_API_KEY to a Klaviyo private API key (pk_…), not the public site id'
          : 'check TIERSYNC_KLAVIYO_URL (if set) and the network',
    });
    return;
  }
  const names = managedListNames(config);
  const missing: string[] = [];
  for (const name of names) if ((await klaviyo.findList(name)) === null) missing.push(name);
  const perDay = KLAVIYO_LIMITS.create_list.perDay!;
  add({
    name: 'klaviyo list quota',
    ok: missing.length <= perDay,
    detail: `${names.length - missing.length} of ${names.length} managed lists exist; the first sync creates ${missing.length} (Klaviyo allows ${perDay} a day)`,
    ...(missing.length <= perDay ? {} : { fix: 'configure fewer lists (klaviyo.lists, tiers[].list) or create some by hand' }),
  });
}

/**
 * One line a check: `✓ name: detail`, or `✗ name: detail` and what to do.
 *
 * @example
 * formatChecks([{ name: 'config', ok: true, detail: 'valid' }]); // '✓ config: valid\n'
 */
export function formatChecks(checks: readonly DoctorCheck[]): string {
  return checks.map((check) => `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail.replace(/\n\s*/g, ' ')}${check.ok || !check.fix ? '' : ` → ${check.fix}`}\n`).join('');
}
