import type { Config } from '../config/schema.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import { customerSegments } from '../shopify/operations/customer-segments.ts';
import type { LiveSize, LiveSizes } from './playbook.ts';
import type { ActivationRecord, RecordKey } from './plan-activation.ts';
import { activationSegments } from './segment-definitions.ts';

/**
 * The live size of each segment's Shopify segment (customerSegmentMembers totalCount) and
 * Klaviyo list (get_list profile_count, 1/s and 15/m: about a second a list), for the
 * playbook's size check (seed 000 step 6). A segment is tiersync's recorded one, else the one of
 * its name. A platform without a client is `not checked`.
 *
 * @example
 * const live = await readLiveSizes({ config, shopify, klaviyo, records });
 * live.get('vip'); // { shopifySegment: 12, klaviyoList: 11 }
 */
export async function readLiveSizes(deps: {
  config: Config;
  shopify: ShopifyClient | null;
  klaviyo: KlaviyoClient | null;
  records: ReadonlyMap<RecordKey, ActivationRecord>;
}): Promise<Map<string, LiveSizes>> {
  const segments = activationSegments(deps.config);
  const shopifySegments = deps.shopify ? await customerSegments(deps.shopify).list() : null;
  const sizes = new Map<string, LiveSizes>();
  for (const segment of segments) {
    let shopifySize: LiveSize = 'not checked';
    if (deps.shopify && shopifySegments) {
      const recorded = deps.records.get(`shopify_segment:${segment.key}`);
      const found = shopifySegments.find((s) => s.id === recorded?.id) ?? shopifySegments.find((s) => s.name === segment.segmentName);
      shopifySize = found ? await customerSegments(deps.shopify).memberCount(found.id) : 'missing';
    }
    let klaviyoSize: LiveSize = 'not checked';
    if (deps.klaviyo) {
      const listId = segment.list ? await deps.klaviyo.findList(segment.list) : null;
      klaviyoSize = listId ? ((await deps.klaviyo.segments.listSize(listId)) ?? 'missing') : 'missing';
    }
    sizes.set(segment.key, { shopifySegment: shopifySize, klaviyoList: klaviyoSize });
  }
  return sizes;
}
