import { afterEach, describe, expect, it } from 'vitest';
import { createLists, profileData, startHarness, type Harness } from './harness.ts';

describe('Klaviyo sandbox: /__sandbox/stats, /__sandbox/state and /__sandbox/reset', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('reports state and stats over HTTP and resets to the initial profiles with the same ids', async () => {
    harness = await startHarness({ initialProfiles: [{ email: 'seed@example.com', externalId: '9', properties: { a: 1 } }] }, { stepMs: 1000 });
    const initial = await (await fetch(`${harness.base}/__sandbox/state`)).json();
    expect(initial).toEqual({
      profiles: [{ id: expect.stringMatching(/^[0-9A-Z]{26}$/), email: 'seed@example.com', external_id: '9', properties: { a: 1 } }],
      lists: [],
      segments: [],
      bulk_import_jobs: [],
    });

    const [listId] = (await createLists(harness, ['tiersync: VIP'])) as [string];
    const created = await harness.call('create_profile', 'POST', '/api/profiles', { body: { data: profileData({ email: 'new@example.com' }) } });
    await harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, {
      body: { data: [{ type: 'profile', id: created.json.data.id }] },
    });
    await harness.call('get_profile', 'GET', '/api/profiles/NOPE');

    const state = await (await fetch(`${harness.base}/__sandbox/state`)).json();
    expect(state.lists).toEqual([{ id: listId, name: 'tiersync: VIP', profile_ids: [created.json.data.id] }]);
    expect(state.profiles).toHaveLength(2);

    const stats = await (await fetch(`${harness.base}/__sandbox/stats`)).json();
    expect(stats).toEqual({
      requests: { add_profiles_to_list: { '204': 1 }, create_list: { '201': 1 }, create_profile: { '201': 1 }, get_profile: { '404': 1 } },
      writes: { profiles_created: 1, profiles_updated: 0, profiles_imported: 0, list_members_added: 1, list_members_removed: 0, lists_created: 1 },
      rate_limited: 0,
      faults: { '5xx': 0, reset: 0, '429': 0, slow: 0 },
    });

    const reset = await fetch(`${harness.base}/__sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await (await fetch(`${harness.base}/__sandbox/state`)).json()).toEqual(initial);
    expect(harness.sandbox.stats().requests).toEqual({});

    const unknown = await fetch(`${harness.base}/__sandbox/nothing`);
    expect(unknown.status).toBe(404);
  });

  it('rejects invalid options with a message naming them', async () => {
    const { createKlaviyoSandbox } = await import('../../../src/sandbox/klaviyo/server.ts');
    expect(() => createKlaviyoSandbox({ apiKey: '', seed: 1 })).toThrow(/invalid options/);
    expect(() => createKlaviyoSandbox({ apiKey: 'k', seed: 1, timeScale: 0 })).toThrow(/invalid options/);
    expect(() => createKlaviyoSandbox({ apiKey: 'k', seed: 1, initialProfiles: [{ email: 'bad' }] })).toThrow(/initialProfiles\[0\] \(bad\) was refused/);
    harness = await startHarness();
  });
});
