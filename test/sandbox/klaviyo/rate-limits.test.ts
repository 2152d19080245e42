import { afterEach, describe, expect, it } from 'vitest';
import { DAY_ALIGNED_START, startHarness, type Harness } from './harness.ts';

describe('Klaviyo sandbox: rate limits (fixed windows: burst per second, steady per minute, daily)', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  const addMember = async (listId: string, profileId: string) =>
    harness.call('add_profiles_to_list', 'POST', `/api/lists/${listId}/relationships/profiles`, { body: { data: [{ type: 'profile', id: profileId }] } });

  async function setUp(timeScale: number): Promise<{ listId: string; profileId: string }> {
    harness = await startHarness({ timeScale, initialProfiles: [{ email: 'r@example.com' }] });
    const created = await harness.call('create_list', 'POST', '/api/lists', { body: { data: { type: 'list', attributes: { name: 'L' } } } });
    return { listId: created.json.data.id, profileId: harness.sandbox.state().profiles[0]?.id as string };
  }

  it('answers the 11th list write in one second with 429, Retry-After and the throttled error, then recovers', async () => {
    const { listId, profileId } = await setUp(1);
    for (let call = 0; call < 10; call += 1) {
      const result = await addMember(listId, profileId);
      expect(result.status).toBe(204);
      expect(result.headers.get('ratelimit-limit')).toBe('150');
      expect(result.headers.get('ratelimit-remaining')).toBe(String(149 - call));
    }
    const throttled = await addMember(listId, profileId);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.json.errors[0]).toMatchObject({
      status: 429,
      code: 'throttled',
      title: 'Request was throttled.',
      detail: 'Request was throttled. Expected available in 1 second.',
    });
    // Another endpoint has its own windows.
    expect((await harness.call('get_lists', 'GET', '/api/lists')).status).toBe(200);

    harness.clock.now += 999;
    expect((await addMember(listId, profileId)).status).toBe(429);
    harness.clock.now += 1;
    expect((await addMember(listId, profileId)).status).toBe(204);
    expect(harness.sandbox.stats().rate_limited).toBe(2);
    expect(harness.sandbox.stats().requests.add_profiles_to_list).toEqual({ '204': 11, '429': 2 });
  });

  it('enforces the steady window (150 a minute) across burst windows, shortened by the time scale', async () => {
    const { listId, profileId } = await setUp(1000);
    // At time scale 1000 a burst window lasts 1 ms and a steady window 60 ms of the injected clock.
    for (let window = 0; window < 15; window += 1) {
      harness.clock.now = DAY_ALIGNED_START + window;
      for (let call = 0; call < 10; call += 1) expect((await addMember(listId, profileId)).status).toBe(204);
    }
    harness.clock.now = DAY_ALIGNED_START + 15;
    const throttled = await addMember(listId, profileId);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('0.045');
    expect(throttled.json.errors[0].detail).toBe('Request was throttled. Expected available in 0.045 seconds.');
    harness.clock.now = DAY_ALIGNED_START + 59;
    expect((await addMember(listId, profileId)).status).toBe(429);
    harness.clock.now = DAY_ALIGNED_START + 60;
    expect((await addMember(listId, profileId)).status).toBe(204);
  });

  it('enforces create_list daily limit of 150 after the minute windows have reset', async () => {
    harness = await startHarness({ timeScale: 1000 });
    const create = (name: string) => harness.call('create_list', 'POST', '/api/lists', { body: { data: { type: 'list', attributes: { name } } } });
    for (let window = 0; window < 15; window += 1) {
      harness.clock.now = DAY_ALIGNED_START + window;
      for (let call = 0; call < 10; call += 1) expect((await create(`list ${window}-${call}`)).status).toBe(201);
    }
    harness.clock.now = DAY_ALIGNED_START + 60;
    const throttled = await create('one too many');
    expect(throttled.status).toBe(429);
    // The scaled day is 86,400 ms of the injected clock; 86,340 ms of it remain.
    expect(throttled.headers.get('retry-after')).toBe('86.34');
    harness.clock.now = DAY_ALIGNED_START + 86_400;
    expect((await create('next day')).status).toBe(201);
    expect(harness.sandbox.state().lists).toHaveLength(151);
  });

  it('uses the published tier of each endpoint: 75/s for profile import, 10/s for bulk import jobs', async () => {
    harness = await startHarness();
    for (let call = 0; call < 75; call += 1) {
      const result = await harness.call('create_or_update_profile', 'POST', '/api/profile-import', {
        body: { data: { type: 'profile', attributes: { email: `burst${call}@example.com` } } },
      });
      expect(result.status).toBe(201);
    }
    const profileImport = await harness.call('create_or_update_profile', 'POST', '/api/profile-import', {
      body: { data: { type: 'profile', attributes: { email: 'burst75@example.com' } } },
    });
    expect(profileImport.status).toBe(429);
    const job = { data: { type: 'profile-bulk-import-job', attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'j@example.com' } }] } } } };
    for (let call = 0; call < 10; call += 1) {
      expect((await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', { body: job })).status).toBe(202);
    }
    expect((await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', { body: job })).status).toBe(429);
  });
});
