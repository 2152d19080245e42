import { afterEach, describe, expect, it } from 'vitest';
import { KlaviyoApiError } from '../../../src/sandbox/klaviyo/errors.ts';
import { parseFilter } from '../../../src/sandbox/klaviyo/filter.ts';
import { createLists, DAY_ALIGNED_START, startHarness, type Harness } from './harness.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

describe('Klaviyo sandbox: the documented date-time comparisons in filters', () => {
  let harness: Harness;
  afterEach(() => harness?.close());

  it('parses greater-than / less-than on the fields that allow them, and refuses them elsewhere', () => {
    const fields = { email: ['equals', 'any'], updated: ['greater-than', 'less-than'] } as const;
    expect(parseFilter('less-than(updated,2023-04-26T00:00:00Z),greater-than(updated,2023-04-19T00:00:00Z)', fields)).toEqual([
      { operator: 'less-than', field: 'updated', values: ['2023-04-26T00:00:00Z'] },
      { operator: 'greater-than', field: 'updated', values: ['2023-04-19T00:00:00Z'] },
    ]);
    for (const text of ['greater-than(email,2023-04-19T00:00:00Z)', 'greater-or-equal(updated,2023-04-19T00:00:00Z)', 'greater-than(updated,yesterday)']) {
      expect(() => parseFilter(text, fields), text).toThrow(KlaviyoApiError);
    }
  });

  it('filters profiles by updated and created, list members by joined_group_at, lists by created', async () => {
    harness = await startHarness({}, { stepMs: 1000 });
    const ids: string[] = [];
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      const created = await harness.call('create_profile', 'POST', '/api/profiles', { body: { data: { type: 'profile', attributes: { email } } } });
      ids.push(created.json.data.id);
    }
    // Profiles were created at start + 1 s, + 2 s, + 3 s.
    const between = `greater-than(updated,${iso(DAY_ALIGNED_START + 1500)}),less-than(updated,${iso(DAY_ALIGNED_START + 3000)})`;
    const profiles = await harness.call('get_profiles', 'GET', `/api/profiles?filter=${encodeURIComponent(between)}`);
    expect(profiles.status).toBe(200);
    expect(profiles.json.data.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
    const since = await harness.call('get_profiles', 'GET', `/api/profiles?filter=${encodeURIComponent(`greater-than(created,${iso(DAY_ALIGNED_START + 1500)})`)}`);
    expect(since.json.data.map((p: { id: string }) => p.id)).toEqual([ids[1], ids[2]]);
    const combined = await harness.call('get_profiles', 'GET', `/api/profiles?filter=${encodeURIComponent(`equals(email,"c@example.com"),greater-than(created,${iso(DAY_ALIGNED_START)})`)}`);
    expect(combined.json.data.map((p: { id: string }) => p.id)).toEqual([ids[2]]);

    const [listId] = await createLists(harness, ['Dated']); // at + 7 s (each call moves the clock 1 s)
    for (const id of ids) {
      expect((await harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, { body: { data: [{ type: 'profile', id }] } })).status).toBe(204);
    }
    // Members joined at + 8 s, + 9 s, + 10 s.
    const joined = `greater-or-equal(joined_group_at,${iso(DAY_ALIGNED_START + 9000)})`;
    const members = await harness.call('get_profile_ids_for_list', 'GET', `/api/lists/${listId}/relationships/profiles?filter=${encodeURIComponent(joined)}`);
    expect(members.json.data.map((p: { id: string }) => p.id)).toEqual([ids[1], ids[2]]);

    const lists = await harness.call('get_lists', 'GET', `/api/lists?filter=${encodeURIComponent(`greater-than(created,${iso(DAY_ALIGNED_START + 6500)})`)}`);
    expect(lists.json.data.map((l: { id: string }) => l.id)).toEqual([listId]);
    const refused = await harness.call('get_lists', 'GET', `/api/lists?filter=${encodeURIComponent(`less-than(created,${iso(DAY_ALIGNED_START)})`)}`);
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].source).toEqual({ parameter: 'filter' });
  });
});
