import { z } from 'zod';
import { UserError } from '../errors.ts';

/** A blank value means unset: `.env.example` ships `KLAVIYO_API_KEY=` for the user to fill in. */
const unlessBlank = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

const url = (name: string) =>
  unlessBlank(
    z
      .url({ protocol: /^https?$/, error: `${name} must be an http(s) URL such as http://127.0.0.1:8787` })
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
  );

// Every message names its variable: the user reads them in a list, without the field path.
const envSchema = z.object({
  SHOPIFY_SHOP: unlessBlank(
    z
      .string({ error: 'SHOPIFY_SHOP is not set: the shop subdomain, e.g. "acme" for acme.myshopify.com' })
      .transform((value) => value.trim().replace(/^https?:\/\//, '').replace(/\.myshopify\.com\/?$/, ''))
      .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'SHOPIFY_SHOP must be the shop subdomain, e.g. "acme" for acme.myshopify.com')),
  ),
  SHOPIFY_ADMIN_TOKEN: unlessBlank(z.string({ error: 'SHOPIFY_ADMIN_TOKEN is not set: the Admin API access token of your custom app' })),
  // Optional: without it tiersync writes Shopify only.
  KLAVIYO_API_KEY: unlessBlank(z.string({ error: 'KLAVIYO_API_KEY must be a Klaviyo private API key' }).optional()),
  TIERSYNC_SHOPIFY_URL: url('TIERSYNC_SHOPIFY_URL'),
  TIERSYNC_KLAVIYO_URL: url('TIERSYNC_KLAVIYO_URL'),
});

/** The variables tiersync reads, in the order messages name them. */
const VARIABLES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

/**
 * The variables that are present but blank (`KLAVIYO_API_KEY=` in .env): each counts as unset,
 * and messages say so, so that a line left empty is not mistaken for a value.
 *
 * @example
 * blankVariables({ KLAVIYO_API_KEY: '', SHOPIFY_SHOP: 'acme' }); // ['KLAVIYO_API_KEY']
 */
export function blankVariables(env: NodeJS.ProcessEnv): string[] {
  return VARIABLES.filter((name) => typeof env[name] === 'string' && env[name]!.trim() === '');
}

export interface Credentials {
  readonly shop: string;
  readonly shopifyToken: string;
  /** Base replacing https://{shop}.myshopify.com (the sandbox), else the real host. */
  readonly shopifyBaseUrl: string;
  /** Null: Klaviyo is not configured, tiersync writes Shopify only. */
  readonly klaviyoApiKey: string | null;
  readonly klaviyoBaseUrl: string;
}

/**
 * Reads the credentials from the environment (after `.env`), naming what is missing and
 * never echoing a secret.
 *
 * @example
 * const credentials = readCredentials(process.env);
 */
export function readCredentials(env: NodeJS.ProcessEnv): Credentials {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const blank = new Set(blankVariables(env));
    const problems = result.error.issues
      .map((issue) => {
        const name = String(issue.path[0] ?? '');
        return `  - ${issue.message}${blank.has(name) ? ` (${name} is blank in .env or the environment, which counts as unset)` : ''}`;
      })
      .join('\n');
    throw new UserError(`missing or invalid credentials (set them in .env or the environment; see .env.example):\n${problems}`);
  }
  const e = result.data;
  return {
    shop: e.SHOPIFY_SHOP,
    shopifyToken: e.SHOPIFY_ADMIN_TOKEN,
    shopifyBaseUrl: e.TIERSYNC_SHOPIFY_URL ?? `https://${e.SHOPIFY_SHOP}.myshopify.com`,
    klaviyoApiKey: e.KLAVIYO_API_KEY ?? null,
    klaviyoBaseUrl: e.TIERSYNC_KLAVIYO_URL ?? 'https://a.klaviyo.com',
  };
}
