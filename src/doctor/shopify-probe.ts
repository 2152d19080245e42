import { z } from 'zod';
import { networkFailure } from '../http/network-failure.ts';
import { adminGraphqlUrl } from '../shopify/api-version.ts';
import { SHOP_IDENTITY_QUERY, shopIdentitySchema } from '../shopify/operations/fetch-shop-identity.ts';

const answer = z.object({ data: shopIdentitySchema });

export type ShopifyProbe =
  | { kind: 'unreachable'; url: string; reason: string }
  | { kind: 'refused'; url: string; status: number }
  | { kind: 'unexpected'; url: string; status: number; reason: string }
  | { kind: 'ok'; url: string; servedVersion: string | null; shop: { id: string; myshopifyDomain: string } };

/**
 * One cheap request to the Admin API (a 1-point `shop` query): reachable at all, token accepted,
 * which API version answered (`X-Shopify-API-Version`: Shopify falls back to another version when
 * the one asked for is not served; shopify.dev/docs/api/usage/versioning), and which shop the
 * token belongs to. Sent once, without retries: a check, not a sync.
 *
 * @example
 * await probeShopify({ shop: 'acme', token, fetch, timeoutMs: 10_000 }); // { kind: 'ok', servedVersion: '2026-07', … }
 */
export async function probeShopify(deps: { shop: string; token: string; baseUrl?: string; fetch: typeof fetch; timeoutMs: number }): Promise<ShopifyProbe> {
  const url = adminGraphqlUrl(deps.shop, deps.baseUrl);
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': deps.token },
      body: JSON.stringify({ query: SHOP_IDENTITY_QUERY }),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (error) {
    return { kind: 'unreachable', url, reason: networkFailure(error) };
  }
  if (response.status === 401 || response.status === 403) return { kind: 'refused', url, status: response.status };
  const text = await response.text();
  let parsed: z.infer<typeof answer> | null = null;
  try {
    const result = answer.safeParse(JSON.parse(text));
    if (result.success) parsed = result.data;
  } catch {
    parsed = null;
  }
  if (!response.ok || parsed === null) return { kind: 'unexpected', url, status: response.status, reason: text.slice(0, 200) || 'no body' };
  return { kind: 'ok', url, servedVersion: response.headers.get('x-shopify-api-version'), shop: parsed.data.shop };
}

