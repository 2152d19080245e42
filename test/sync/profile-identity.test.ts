import { describe, expect, it } from 'vitest';
import type { KlaviyoClient } from '../../src/klaviyo/client.ts';
import type { PlanOperation } from '../../src/reconcile/plan.ts';
import type { KlaviyoObservation } from '../../src/sync/observe-klaviyo.ts';
import { klaviyoExternalId, profilesToCreate } from '../../src/sync/profile-identity.ts';
import { silentProgress } from '../../src/sync/progress.ts';

const upsert = (email: string, n: number): PlanOperation => ({
  kind: 'profiles_upsert', target: email, tier: 'vip', payload: { customerId: `gid://shopify/Customer/${n}`, email, properties: { tiersync_tier: 'vip' } },
});
const lists = (members: string[]): KlaviyoObservation => ({
  listIds: new Map(), members: new Map([['tiersync: VIP', new Set(members)]]), memberIds: new Map(), membersWithoutEmail: 0, readInFull: [],
});

describe('which profiles tiersync creates (and gives an external_id)', () => {
  it('the numeric Shopify id, from the customer GID', () => {
    expect(klaviyoExternalId('gid://shopify/Customer/7100000001')).toBe('7100000001');
  });

  it('without a full read: known profiles are skipped, the rest looked up by email, then by external id', async () => {
    const asked: { emails: string[]; externalIds: string[] } = { emails: [], externalIds: [] };
    const klaviyo = {
      async profileIdsForEmails(emails: string[]) {
        asked.emails.push(...emails);
        return new Map([['found@x.com', 'P1']]);
      },
      async profileIdsForExternalIds(ids: string[]) {
        asked.externalIds.push(...ids);
        return new Map([['14', 'P2']]);
      },
    } as unknown as KlaviyoClient;
    const applied = new Map([['gid://shopify/Customer/12', { tags: [], properties: { tiersync_tier: 'vip' }, lists: [] }]]);
    const creates = await profilesToCreate({
      klaviyo,
      operations: [upsert('member@x.com', 11), upsert('upserted@x.com', 12), upsert('found@x.com', 13), upsert('moved@x.com', 14), upsert('new@x.com', 15)],
      applied: { get: (id) => applied.get(id), size: applied.size },
      lists: lists(['member@x.com']),
      profiles: null,
      progress: silentProgress,
    });
    expect(asked).toEqual({ emails: ['found@x.com', 'moved@x.com', 'new@x.com'], externalIds: ['14', '15'] });
    expect([...creates]).toEqual(['new@x.com']);
  });

  it('after a full read nothing is looked up', async () => {
    const klaviyo = {} as KlaviyoClient;
    const creates = await profilesToCreate({
      klaviyo,
      operations: [upsert('a@x.com', 1), upsert('b@x.com', 2), upsert('c@x.com', 3)],
      applied: { get: () => undefined, size: 0 },
      lists: lists([]),
      profiles: { existing: new Set(['a@x.com']), matchingApplied: new Set(), externalIdsTaken: new Set(['2']), profilesRead: 2 },
      progress: silentProgress,
    });
    expect([...creates]).toEqual(['c@x.com']);
  });
});
