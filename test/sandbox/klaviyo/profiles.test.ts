import { afterEach, describe, expect, it } from 'vitest';
import { profileData, startHarness, type Harness } from './harness.ts';

describe('Klaviyo sandbox: profiles', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('creates a profile (201) and answers a second create with the same email with 409 and the existing id', async () => {
    harness = await startHarness({}, { stepMs: 1000 });
    const body = { data: profileData({ email: 'ada@example.com', external_id: '7100000001', properties: { tier: 'vip' } }) };
    const created = await harness.call('create_profile', 'POST', '/api/profiles', { body });
    expect(created.status).toBe(201);
    expect(created.json.data.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.json.data.attributes).toMatchObject({ email: 'ada@example.com', external_id: '7100000001', properties: { tier: 'vip' } });

    const duplicate = await harness.call('create_profile', 'POST', '/api/profiles', {
      body: { data: profileData({ email: 'ADA@example.com' }) },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.errors[0]).toMatchObject({ code: 'duplicate_profile', meta: { duplicate_profile_id: created.json.data.id } });
    expect(harness.sandbox.stats().writes.profiles_created).toBe(1);
  });

  it('refuses a profile without identifier or with a malformed email (400 with a pointer)', async () => {
    harness = await startHarness({}, { stepMs: 1000 });
    const none = await harness.call('create_profile', 'POST', '/api/profiles', { body: { data: profileData({ first_name: 'Ada' }) } });
    expect(none.status).toBe(400);
    expect(none.json.errors[0].source.pointer).toBe('/data/attributes');
    const bad = await harness.call('create_profile', 'POST', '/api/profiles', { body: { data: profileData({ email: 'not-an-email' }) } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].source.pointer).toBe('/data/attributes/email');
    expect(harness.sandbox.state().profiles).toEqual([]);
  });

  it('profile-import creates (201), then updates the match by email (200) merging properties and applying patch_properties', async () => {
    harness = await startHarness({}, { stepMs: 1000 });
    const first = await harness.call('create_or_update_profile', 'POST', '/api/profile-import', {
      body: { data: profileData({ email: 'bo@example.com', properties: { tiersync_tier: 'mid_tier', skus: ['1', '2'], color: 'red' } }) },
    });
    expect(first.status).toBe(201);

    const second = await harness.call('create_or_update_profile', 'POST', '/api/profile-import', {
      body: {
        data: profileData(
          { email: 'bo@example.com', external_id: '42', properties: { tiersync_tier: 'vip', tiersync_ltv: 812.5 } },
          { meta: { patch_properties: { append: { skus: ['3'] }, unappend: { skus: '1' }, unset: 'color' } } },
        ),
      },
    });
    expect(second.status).toBe(200);
    expect(second.json.data.id).toBe(first.json.data.id);
    expect(second.json.data.attributes.properties).toEqual({ tiersync_tier: 'vip', tiersync_ltv: 812.5, skus: ['2', '3'] });
    expect(second.json.data.attributes.external_id).toBe('42');

    const byExternalId = await harness.call('create_or_update_profile', 'POST', '/api/profile-import', {
      body: { data: profileData({ external_id: '42', first_name: 'Bo' }) },
    });
    expect(byExternalId.status).toBe(200);
    expect(byExternalId.json.data.attributes).toMatchObject({ email: 'bo@example.com', first_name: 'Bo' });
    expect(harness.sandbox.stats().writes).toMatchObject({ profiles_created: 1, profiles_updated: 2 });
  });

  it('profile-import clears a field sent as null, and answers 409 when email and external_id match different profiles', async () => {
    harness = await startHarness({ initialProfiles: [{ email: 'a@example.com', externalId: '1' }, { email: 'b@example.com', externalId: '2' }] }, { stepMs: 1000 });
    const cleared = await harness.call('create_or_update_profile', 'POST', '/api/profile-import', {
      body: { data: profileData({ email: 'a@example.com', external_id: null }) },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.json.data.attributes.external_id).toBeNull();

    const conflict = await harness.call('create_or_update_profile', 'POST', '/api/profile-import', {
      body: { data: profileData({ email: 'a@example.com', external_id: '2' }) },
    });
    expect(conflict.status).toBe(409);
    const [a, b] = harness.sandbox.state().profiles;
    expect(conflict.json.errors[0].meta.duplicate_profile_id).toBe(a?.id);
    expect(b?.external_id).toBe('2');
  });

  it('PATCH updates by id, checks the body id and answers 404 for an unknown profile', async () => {
    harness = await startHarness({ initialProfiles: [{ email: 'c@example.com', properties: { keep: 1, drop: 2 } }] }, { stepMs: 1000 });
    const id = harness.sandbox.state().profiles[0]?.id as string;
    const patched = await harness.call('update_profile', 'PATCH', `/api/profiles/${id}`, {
      body: { data: profileData({ properties: { tiersync_tier: 'champion' } }, { id, meta: { patch_properties: { unset: ['drop'] } } }) },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.data.attributes.properties).toEqual({ keep: 1, tiersync_tier: 'champion' });

    const mismatch = await harness.call('update_profile', 'PATCH', `/api/profiles/${id}`, {
      body: { data: profileData({ first_name: 'X' }, { id: 'OTHER' }) },
    });
    expect(mismatch.status).toBe(400);
    const missing = await harness.call('update_profile', 'PATCH', '/api/profiles/01KDX0YM00AAAAAAAAAAAAAAAA', {
      body: { data: profileData({ first_name: 'X' }, { id: '01KDX0YM00AAAAAAAAAAAAAAAA' }) },
    });
    expect(missing.status).toBe(404);

    const fetched = await harness.call('get_profile', 'GET', `/api/profiles/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json.data.attributes.properties).toEqual({ keep: 1, tiersync_tier: 'champion' });
  });

  it('filters by email (case-insensitively), external_id and any(email, [...])', async () => {
    harness = await startHarness(
      {
        initialProfiles: [
          { email: 'one@example.com', externalId: '1' },
          { email: 'two@example.com', externalId: '2' },
          { email: 'three@example.com', externalId: '3' },
        ],
      },
      { stepMs: 1000 },
    );
    const emails = async (filter: string): Promise<string[]> => {
      const result = await harness.call('get_profiles', 'GET', `/api/profiles?filter=${encodeURIComponent(filter)}`);
      expect(result.status).toBe(200);
      return result.json.data.map((profile: { attributes: { email: string } }) => profile.attributes.email);
    };
    expect(await emails('equals(email,"TWO@example.com")')).toEqual(['two@example.com']);
    expect(await emails("equals(external_id,'3')")).toEqual(['three@example.com']);
    expect(await emails('any(email,["three@example.com","one@example.com","nobody@example.com"])')).toEqual(['one@example.com', 'three@example.com']);
    expect(await emails('equals(email,"nobody@example.com")')).toEqual([]);

    const unsupported = await harness.call('get_profiles', 'GET', `/api/profiles?filter=${encodeURIComponent('equals(first_name,"A")')}`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.errors[0].source).toEqual({ parameter: 'filter' });
    const broken = await harness.call('get_profiles', 'GET', `/api/profiles?filter=${encodeURIComponent('equals(email,"x"')}`);
    expect(broken.status).toBe(400);
  });

  it('pages through 230 profiles with page[size]=100 and links.next, each exactly once, in creation order', async () => {
    const initialProfiles = Array.from({ length: 230 }, (_, index) => ({ email: `p${index}@example.com` }));
    harness = await startHarness({ initialProfiles }, { stepMs: 1000 });
    const seen: string[] = [];
    let path: string | null = '/api/profiles?page[size]=100';
    const pageSizes: number[] = [];
    while (path !== null) {
      const page: Awaited<ReturnType<Harness['call']>> = await harness.call('get_profiles', 'GET', path);
      expect(page.status).toBe(200);
      pageSizes.push(page.json.data.length);
      seen.push(...page.json.data.map((profile: { attributes: { email: string } }) => profile.attributes.email));
      const next: string | undefined = page.json.links.next;
      path = next === undefined ? null : next.slice(harness.base.length);
    }
    expect(pageSizes).toEqual([100, 100, 30]);
    expect(seen).toEqual(initialProfiles.map((profile) => profile.email));

    const defaultPage = await harness.call('get_profiles', 'GET', '/api/profiles');
    expect(defaultPage.json.data).toHaveLength(20);
    const tooBig = await harness.call('get_profiles', 'GET', '/api/profiles?page[size]=101');
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.errors[0].source).toEqual({ parameter: 'page[size]' });
    const badCursor = await harness.call('get_profiles', 'GET', '/api/profiles?page[cursor]=bogus');
    expect(badCursor.status).toBe(400);
    expect(badCursor.json.errors[0].detail).toBe('Invalid cursor provided.');
  });

  it('generates the same ULID-like ids for the same seed and different ones for another seed', async () => {
    const ids = async (seed: number): Promise<string[]> => {
      const run = await startHarness({ seed, initialProfiles: [{ email: 'x@example.com' }, { email: 'y@example.com' }] });
      const result = run.sandbox.state().profiles.map((profile) => profile.id);
      await run.close();
      return result;
    };
    const first = await ids(11);
    expect(await ids(11)).toEqual(first);
    expect(await ids(12)).not.toEqual(first);
    expect(first.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...first].sort()).toEqual(first);
    harness = await startHarness();
  });
});
