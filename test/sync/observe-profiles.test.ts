import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { KlaviyoClient } from '../../src/klaviyo/client.ts';
import type { ProfileSnapshot } from '../../src/klaviyo/read-profiles.ts';
import type { AppliedState } from '../../src/core/applied-state.ts';
import { fullObservationDue, observeProfileProperties, PROPERTIES_OBSERVED_AT } from '../../src/sync/observe-profiles.ts';
import { silentProgress } from '../../src/sync/progress.ts';
import { openStore } from '../../src/store/open-store.ts';

const config = parseConfig({}, 'test');
const DAY = 86_400_000;

const customer = (customerId: string, email: string | null) => ({ customerId, email });
const appliedOf = (entries: Record<string, AppliedState['properties']>) => {
  const map = new Map(Object.entries(entries).map(([id, properties]) => [id, { tags: [], properties, lists: [] }]));
  return { get: (id: string) => map.get(id), size: map.size };
};
/** Only the full read is used; pages of two. */
const klaviyoServing = (profiles: ProfileSnapshot[]) =>
  ({
    async readProfiles(_prefix: string, onPage: (page: ProfileSnapshot[]) => void) {
      for (let i = 0; i < profiles.length; i += 2) onPage(profiles.slice(i, i + 2));
      return profiles.length;
    },
  }) as unknown as KlaviyoClient;
const profile = (email: string, properties: Record<string, unknown>): ProfileSnapshot => ({ id: `P-${email}`, email, externalId: null, properties });

describe('full read of tiersync profile properties', () => {
  it('keeps the emails whose live properties are what tiersync applied; a null applied matches anything', async () => {
    const applied = appliedOf({
      c1: { tiersync_tier: 'vip', tiersync_ltv: 12.5 },
      c2: { tiersync_tier: 'vip', tiersync_lapsed: null },
      c3: { tiersync_tier: 'vip' },
      c4: { tiersync_tier: 'vip' },
    });
    const observed = await observeProfileProperties({
      klaviyo: klaviyoServing([
        profile('a@x.com', { tiersync_tier: 'vip', tiersync_ltv: 12.5 }),
        profile('b@x.com', { tiersync_tier: 'vip', tiersync_lapsed: 'low_value' }),
        profile('c@x.com', {}),
        profile('stranger@x.com', { tiersync_tier: 'vip' }),
      ]),
      config,
      customers: () => [customer('c1', 'a@x.com'), customer('c2', 'b@x.com'), customer('c3', 'c@x.com'), customer('c4', 'd@x.com'), customer('c5', null)],
      applied,
      progress: silentProgress,
    });
    expect([...observed.existing].sort()).toEqual(['a@x.com', 'b@x.com', 'c@x.com']);
    expect([...observed.matchingApplied].sort()).toEqual(['a@x.com', 'b@x.com']);
    expect(observed.profilesRead).toBe(4);
  });

  it('is due on --full, when never done, and once klaviyo.full_observation_days have passed', () => {
    const store = openStore(':memory:');
    try {
      const now = 100 * DAY;
      expect(fullObservationDue(store, config, { full: false, now })).toBe(true);
      store.cursors.setCursor(PROPERTIES_OBSERVED_AT, String(now - 6 * DAY));
      expect(fullObservationDue(store, config, { full: false, now })).toBe(false);
      expect(fullObservationDue(store, config, { full: true, now })).toBe(true);
      expect(fullObservationDue(store, config, { full: false, now: now + DAY })).toBe(true);
      expect(fullObservationDue(store, parseConfig({ klaviyo: { full_observation_days: 0 } }, 'test'), { full: false, now: now - 6 * DAY })).toBe(true);
    } finally {
      store.close();
    }
  });
});
