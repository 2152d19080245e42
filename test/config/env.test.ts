import { describe, expect, it } from 'vitest';
import { readCredentials } from '../../src/config/env.ts';

const problemsOf = (env: NodeJS.ProcessEnv): string => {
  try {
    readCredentials(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('readCredentials accepted the environment');
};

describe('readCredentials', () => {
  it('reads the blank KLAVIYO_API_KEY= of .env.example as unset: Klaviyo is off', () => {
    expect(readCredentials({ SHOPIFY_SHOP: 'acme', SHOPIFY_ADMIN_TOKEN: 'token', KLAVIYO_API_KEY: '', TIERSYNC_SHOPIFY_URL: ' ' })).toEqual({
      shop: 'acme',
      shopifyToken: 'token',
      shopifyBaseUrl: 'https://acme.myshopify.com',
      klaviyoApiKey: null,
      klaviyoBaseUrl: 'https://a.klaviyo.com',
    });
  });

  it('accepts the shop as a myshopify host and a sandbox URL with a trailing slash', () => {
    const credentials = readCredentials({ SHOPIFY_SHOP: 'https://acme.myshopify.com/', SHOPIFY_ADMIN_TOKEN: 't', TIERSYNC_SHOPIFY_URL: 'http://127.0.0.1:8787/' });
    expect([credentials.shop, credentials.shopifyBaseUrl]).toEqual(['acme', 'http://127.0.0.1:8787']);
  });

  it('names every variable that is missing or wrong, the .env.example blanks included', () => {
    const message = problemsOf({ SHOPIFY_SHOP: '', SHOPIFY_ADMIN_TOKEN: '', KLAVIYO_API_KEY: '', TIERSYNC_SHOPIFY_URL: 'ftp://x', TIERSYNC_KLAVIYO_URL: 'nope' });
    expect(message.split('\n')).toEqual([
      'missing or invalid credentials (set them in .env or the environment; see .env.example):',
      '  - SHOPIFY_SHOP is not set: the shop subdomain, e.g. "acme" for acme.myshopify.com (SHOPIFY_SHOP is blank in .env or the environment, which counts as unset)',
      '  - SHOPIFY_ADMIN_TOKEN is not set: the Admin API access token of your custom app (SHOPIFY_ADMIN_TOKEN is blank in .env or the environment, which counts as unset)',
      '  - TIERSYNC_SHOPIFY_URL must be an http(s) URL such as http://127.0.0.1:8787',
      '  - TIERSYNC_KLAVIYO_URL must be an http(s) URL such as http://127.0.0.1:8787',
    ]);
  });

  it('names SHOPIFY_SHOP when it is not a subdomain', () => {
    expect(problemsOf({ SHOPIFY_SHOP: 'my shop', SHOPIFY_ADMIN_TOKEN: 't' })).toContain('SHOPIFY_SHOP must be the shop subdomain');
  });
});
