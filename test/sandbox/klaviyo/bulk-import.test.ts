import { afterEach, describe, expect, it } from 'vitest';
import { createLists, profileData, startHarness, type Harness } from './harness.ts';

function jobBody(profiles: unknown[], listIds: string[] = []) {
  return {
    data: {
      type: 'profile-bulk-import-job',
      attributes: { profiles: { data: profiles } },
      ...(listIds.length > 0 ? { relationships: { lists: { data: listIds.map((id) => ({ type: 'list', id })) } } } : {}),
    },
  };
}

describe('Klaviyo sandbox: bulk profile import jobs', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('runs a job queued → processing → complete, counting completed and failed, with a per-profile error', async () => {
    harness = await startHarness({ initialProfiles: [{ email: 'old@example.com', properties: { keep: true, tiersync_tier: 'low_value' } }] });
    const [listId] = await createLists(harness, ['tiersync: VIP']);
    const profiles = [
      profileData({ email: 'old@example.com', properties: { tiersync_tier: 'vip' } }),
      profileData({ email: 'new1@example.com', external_id: '11', properties: { tiersync_tier: 'vip' } }),
      profileData({ email: 'broken-address', properties: { tiersync_tier: 'vip' } }),
      profileData({ email: 'new2@example.com', first_name: null, properties: { tiersync_tier: 'vip' } }),
    ];
    const accepted = await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', { body: jobBody(profiles, [listId as string]) });
    expect(accepted.status).toBe(202);
    expect(accepted.json.data.attributes).toMatchObject({ status: 'queued', total_count: 4, completed_count: 0, failed_count: 0, started_at: null });
    const jobPath = `/api/profile-bulk-import-jobs/${accepted.json.data.id}`;

    // Queued for 1 s, then 4 profiles at 1,000/s with a 1 s minimum: half way through processing = 1.5 s.
    harness.clock.now += 1500;
    const halfway = await harness.call('get_bulk_import_profiles_job', 'GET', jobPath);
    expect(halfway.json.data.attributes).toMatchObject({ status: 'processing', completed_count: 2, failed_count: 0, completed_at: null });

    harness.clock.now += 500;
    const done = await harness.call('get_bulk_import_profiles_job', 'GET', `${jobPath}?include=lists`);
    expect(done.json.data.attributes).toMatchObject({ status: 'complete', total_count: 4, completed_count: 3, failed_count: 1 });
    expect(done.json.included.map((list: { id: string }) => list.id)).toEqual([listId]);

    const errors = await harness.call('get_errors_for_bulk_import_profiles_job', 'GET', `${jobPath}/import-errors`);
    expect(errors.status).toBe(200);
    expect(errors.json.data).toHaveLength(1);
    expect(errors.json.data[0].attributes).toMatchObject({
      code: 'invalid',
      source: { pointer: '/data/attributes/profiles/data/2/attributes/email' },
      original_payload: { attributes: { email: 'broken-address' } },
    });

    const state = harness.sandbox.state();
    expect(state.profiles.map((profile) => profile.email)).toEqual(['old@example.com', 'new1@example.com', 'new2@example.com']);
    expect(state.profiles[0]?.properties).toEqual({ keep: true, tiersync_tier: 'vip' });
    expect(state.lists[0]?.profile_ids).toEqual(state.profiles.map((profile) => profile.id).sort());
    expect(harness.sandbox.stats().writes).toMatchObject({ profiles_imported: 3, profiles_created: 2, profiles_updated: 1, list_members_added: 3 });
  });

  it('ignores nulls in bulk imports instead of clearing fields', async () => {
    harness = await startHarness({ initialProfiles: [{ email: 'n@example.com', externalId: '5', properties: { a: 1 } }] });
    const accepted = await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', {
      body: jobBody([profileData({ email: 'n@example.com', external_id: null, properties: { a: null, b: 2 } })]),
    });
    harness.clock.now += 5000;
    const job = await harness.call('get_bulk_import_profiles_job', 'GET', `/api/profile-bulk-import-jobs/${accepted.json.data.id}`);
    expect(job.json.data.attributes.status).toBe('complete');
    expect(harness.sandbox.state().profiles).toEqual([expect.objectContaining({ external_id: '5', properties: { a: 1, b: 2 } })]);
  });

  it('shortens job time by the time scale', async () => {
    harness = await startHarness({ timeScale: 100 });
    const accepted = await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', {
      body: jobBody([profileData({ email: 'fast@example.com' })]),
    });
    harness.clock.now += 19;
    const path = `/api/profile-bulk-import-jobs/${accepted.json.data.id}`;
    expect((await harness.call('get_bulk_import_profiles_job', 'GET', path)).json.data.attributes.status).toBe('processing');
    harness.clock.now += 1;
    expect((await harness.call('get_bulk_import_profiles_job', 'GET', path)).json.data.attributes.status).toBe('complete');
  });

  it('refuses more than 10,000 profiles with 400 and more than 5 MB with 413, importing nothing', async () => {
    harness = await startHarness();
    const tooMany = Array.from({ length: 10_001 }, (_, index) => profileData({ email: `u${index}@example.com` }));
    const many = await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', { body: jobBody(tooMany) });
    expect(many.status).toBe(400);
    expect(many.json.errors[0]).toMatchObject({ code: 'invalid', source: { pointer: '/data/attributes/profiles/data' } });

    // 10,000 profiles of ~600 bytes each: within the count limit, over 5 MB (5,242,880 bytes).
    const padding = 'x'.repeat(560);
    const heavy = Array.from({ length: 10_000 }, (_, index) => profileData({ email: `h${index}@example.com`, properties: { padding } }));
    const body = jobBody(heavy);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(5 * 1024 * 1024);
    const large = await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', { body });
    expect(large.status).toBe(413);
    expect(large.json.errors[0].status).toBe(413);

    const exactlyLimit = Array.from({ length: 10_000 }, (_, index) => profileData({ email: `ok${index}@example.com` }));
    harness.clock.now += 1000;
    const accepted = await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', { body: jobBody(exactlyLimit) });
    expect(accepted.status).toBe(202);
    expect(accepted.json.data.attributes.total_count).toBe(10_000);
    expect(harness.sandbox.state().profiles).toEqual([]);
  });

  it('refuses a job naming a list that does not exist, and answers 404 for an unknown job', async () => {
    harness = await startHarness();
    const unknownList = await harness.call('bulk_import_profiles', 'POST', '/api/profile-bulk-import-jobs', {
      body: jobBody([profileData({ email: 'z@example.com' })], ['NoSuch']),
    });
    expect(unknownList.status).toBe(400);
    expect(unknownList.json.errors[0].source.pointer).toBe('/data/relationships/lists/data/0/id');
    const unknownJob = await harness.call('get_bulk_import_profiles_job', 'GET', '/api/profile-bulk-import-jobs/01KDX0YM00AAAAAAAAAAAAAAAA');
    expect(unknownJob.status).toBe(404);
  });
});
