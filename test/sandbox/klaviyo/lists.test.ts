import { afterEach, describe, expect, it } from 'vitest';
import { createLists, startHarness, type Harness } from './harness.ts';

const members = (ids: string[]) => ({ data: ids.map((id) => ({ type: 'profile', id })) });

describe('Klaviyo sandbox: lists and list membership', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('creates lists, gets one by id, finds one by name and pages lists 10 at a time', async () => {
    harness = await startHarness({}, { stepMs: 1000 });
    const names = Array.from({ length: 12 }, (_, index) => `tiersync: segment ${index}`);
    const ids = await createLists(harness, names);

    const one = await harness.call('get_list', 'GET', `/api/lists/${ids[3]}`);
    expect(one.json.data.attributes).toMatchObject({ name: 'tiersync: segment 3', opt_in_process: 'single_opt_in' });
    const missing = await harness.call('get_list', 'GET', '/api/lists/NoSuch');
    expect(missing.status).toBe(404);

    const byName = await harness.call('get_lists', 'GET', `/api/lists?filter=${encodeURIComponent('equals(name,"tiersync: segment 7")')}`);
    expect(byName.json.data.map((list: { id: string }) => list.id)).toEqual([ids[7]]);

    const first = await harness.call('get_lists', 'GET', '/api/lists');
    expect(first.json.data).toHaveLength(10);
    const second = await harness.call('get_lists', 'GET', first.json.links.next.slice(harness.base.length));
    expect([...first.json.data, ...second.json.data].map((list: { id: string }) => list.id)).toEqual(ids);
    expect(second.json.links.next).toBeUndefined();
    const tooBig = await harness.call('get_lists', 'GET', '/api/lists?page[size]=11');
    expect(tooBig.status).toBe(400);
    expect(harness.sandbox.stats().writes.lists_created).toBe(12);
  });

  it('adds and removes members, pages them in join order, and never touches the profiles', async () => {
    const initialProfiles = Array.from({ length: 150 }, (_, index) => ({ email: `m${index}@example.com`, properties: { n: index } }));
    harness = await startHarness({ initialProfiles }, { stepMs: 1000 });
    const [listId] = (await createLists(harness, ['tiersync: Champions'])) as [string];
    const before = harness.sandbox.state().profiles;
    const profileIds = before.map((profile) => profile.id);

    const add = await harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, { body: members(profileIds.slice(0, 120)) });
    expect(add.status).toBe(204);
    expect(add.json).toBeUndefined();
    const again = await harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, { body: members(profileIds.slice(100, 150)) });
    expect(again.status).toBe(204);
    const remove = await harness.call('remove_profiles_from_list', 'DELETE', `/api/lists/${listId}/relationships/profiles`, {
      body: members([profileIds[0] as string, profileIds[149] as string]),
    });
    expect(remove.status).toBe(204);

    const expected = profileIds.slice(1, 149);
    const relationshipIds: string[] = [];
    let path: string | undefined = `/api/lists/${listId}/relationships/profiles?page[size]=100`;
    while (path !== undefined) {
      const page: Awaited<ReturnType<Harness['call']>> = await harness.call('get_profile_ids_for_list', 'GET', path);
      relationshipIds.push(...page.json.data.map((item: { type: string; id: string }) => item.id));
      path = page.json.links.next?.slice(harness.base.length);
    }
    expect(relationshipIds).toEqual(expected);

    const profilesPage = await harness.call('get_profiles_for_list', 'GET', `/api/lists/${listId}/profiles?page[size]=5`);
    expect(profilesPage.json.data.map((profile: { id: string }) => profile.id)).toEqual(expected.slice(0, 5));
    expect(profilesPage.json.data[0].attributes.joined_group_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const filtered = await harness.call('get_profiles_for_list', 'GET', `/api/lists/${listId}/profiles?filter=${encodeURIComponent('equals(email,"m5@example.com")')}`);
    expect(filtered.json.data.map((profile: { id: string }) => profile.id)).toEqual([profileIds[5]]);

    expect(harness.sandbox.state().profiles).toEqual(before);
    expect(harness.sandbox.state().lists[0]?.profile_ids).toEqual([...expected].sort());
    // 120 new + 30 new (20 of the second call were members already); 2 removed.
    expect(harness.sandbox.stats().writes).toMatchObject({ list_members_added: 150, list_members_removed: 2, profiles_updated: 0 });

    const withCount = await harness.call('get_list', 'GET', `/api/lists/${listId}?additional-fields[list]=profile_count`);
    expect(withCount.json.data.attributes.profile_count).toBe(148);
  });

  it('refuses more than 1,000 profiles a call and unknown profile ids, changing nothing', async () => {
    const initialProfiles = Array.from({ length: 1001 }, (_, index) => ({ email: `k${index}@example.com` }));
    harness = await startHarness({ initialProfiles }, { stepMs: 1000 });
    const [listId] = (await createLists(harness, ['tiersync: VIP'])) as [string];
    const ids = harness.sandbox.state().profiles.map((profile) => profile.id);

    const tooMany = await harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, { body: members(ids) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errors[0].detail).toMatch(/maximum of 1000 profiles/);
    const tooManyRemove = await harness.call('remove_profiles_from_list', 'DELETE', `/api/lists/${listId}/relationships/profiles`, { body: members(ids) });
    expect(tooManyRemove.status).toBe(400);
    const exactly = await harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, { body: members(ids.slice(0, 1000)) });
    expect(exactly.status).toBe(204);

    const unknown = await harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, {
      body: members([ids[1000] as string, 'NOPE']),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].source.pointer).toBe('/data/1/id');
    expect(harness.sandbox.state().lists[0]?.profile_ids).toHaveLength(1000);

    const unknownList = await harness.call('add_profiles_to_list', 'POST', '/api/lists/NoSuch/relationships/profiles', { body: members([ids[0] as string]) });
    expect(unknownList.status).toBe(404);
  });
});
