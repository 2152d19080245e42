import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

const tierIs = (tier: string) => ({
  condition_groups: [{ conditions: [{ type: 'profile-property', property: "properties['tiersync_tier']", filter: { type: 'string', operator: 'equals', value: tier } }] }],
});
const createBody = (name: string, definition: unknown) => ({ data: { type: 'segment', attributes: { name, definition } } });

describe('Klaviyo sandbox: segments', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('creates, finds by name, pages 10 at a time, updates, and counts members of profile-property definitions', async () => {
    const initialProfiles = [
      { email: 'a@example.com', properties: { tiersync_tier: 'vip', tiersync_suppressed: false, tiersync_churn_risk: 80 } },
      { email: 'b@example.com', properties: { tiersync_tier: 'vip', tiersync_suppressed: true, tiersync_churn_risk: 20 } },
      { email: 'c@example.com', properties: { tiersync_tier: 'champion', tiersync_churn_risk: 75 } },
      { email: 'd@example.com' },
    ];
    harness = await startHarness({ initialProfiles }, { stepMs: 5000 });
    const created = await harness.call('create_segment', 'POST', '/api/segments', { body: createBody('tiersync: VIP', tierIs('vip')) });
    expect(created.status).toBe(201);
    expect(created.json.data.attributes).toMatchObject({ name: 'tiersync: VIP', definition: tierIs('vip'), is_active: true, is_processing: false, is_starred: false });
    const id = created.json.data.id as string;

    const counted = await harness.call('get_segment', 'GET', `/api/segments/${id}?additional-fields[segment]=profile_count`);
    expect(counted.json.data.attributes.profile_count).toBe(2);

    // Groups AND, conditions within a group OR (segments_api_overview).
    const vipOrChampionAtRisk = {
      condition_groups: [
        { conditions: [tierIs('vip').condition_groups[0]!.conditions[0], tierIs('champion').condition_groups[0]!.conditions[0]] },
        { conditions: [{ type: 'profile-property', property: "properties['tiersync_churn_risk']", filter: { type: 'numeric', operator: 'greater-than', value: 70.5 } }] },
      ],
    };
    const atRisk = await harness.call('create_segment', 'POST', '/api/segments', { body: createBody('At risk', vipOrChampionAtRisk) });
    const atRiskCount = await harness.call('get_segment', 'GET', `/api/segments/${atRisk.json.data.id}?additional-fields[segment]=profile_count`);
    expect(atRiskCount.json.data.attributes.profile_count).toBe(2);

    const byName = await harness.call('get_segments', 'GET', `/api/segments?filter=${encodeURIComponent('equals(name,"tiersync: VIP")')}`);
    expect(byName.json.data.map((segment: { id: string }) => segment.id)).toEqual([id]);

    const renamed = await harness.call('update_segment', 'PATCH', `/api/segments/${id}`, {
      body: { data: { type: 'segment', id, attributes: { name: 'tiersync: Very Important', definition: tierIs('champion') } } },
    });
    expect(renamed.status).toBe(200);
    expect(harness.sandbox.state().segments).toEqual([
      { id, name: 'tiersync: Very Important', definition: tierIs('champion') },
      { id: atRisk.json.data.id, name: 'At risk', definition: vipOrChampionAtRisk },
    ]);
    const mismatched = await harness.call('update_segment', 'PATCH', `/api/segments/${id}`, { body: { data: { type: 'segment', id: 'Other1', attributes: { name: 'x' } } } });
    expect(mismatched.status).toBe(400);
    expect((await harness.call('get_segment', 'GET', '/api/segments/NoSuch')).status).toBe(404);

    for (let index = 0; index < 10; index += 1) await harness.call('create_segment', 'POST', '/api/segments', { body: createBody(`S${index}`, tierIs('vip')) });
    const first = await harness.call('get_segments', 'GET', '/api/segments');
    expect(first.json.data).toHaveLength(10);
    const second = await harness.call('get_segments', 'GET', first.json.links.next.slice(harness.base.length));
    expect(second.json.data.map((segment: { attributes: { name: string } }) => segment.attributes.name)).toEqual(['S8', 'S9']);
    expect((await harness.call('get_segments', 'GET', '/api/segments?page[size]=11')).status).toBe(400);
  });

  it('limits create_segment to 1 a second, 15 a minute and 100 a day (create_segment.json x-klaviyo-ratelimit)', async () => {
    harness = await startHarness();
    const create = (name: string) => harness.call('create_segment', 'POST', '/api/segments', { body: createBody(name, tierIs('vip')) });
    expect((await create('one')).status).toBe(201);
    const second = await create('two');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    for (let index = 0; index < 14; index += 1) {
      harness.clock.now += 1000;
      expect((await create(`n${index}`)).status).toBe(201);
    }
    harness.clock.now += 1000;
    expect((await create('sixteenth in a minute')).status).toBe(429);
    let created = 15;
    while (created < 100) {
      harness.clock.now += 4000;
      if ((await create(`d${created}`)).status === 201) created += 1;
    }
    harness.clock.now += 60_000;
    const overDaily = await create('101st today');
    expect(overDaily.status).toBe(429);
    expect(harness.sandbox.state().segments).toHaveLength(100);
  });

  it('refuses to count a condition type it does not evaluate', async () => {
    harness = await startHarness();
    const definition = { condition_groups: [{ conditions: [{ type: 'profile-region', in_region: true, region: 'european_union' }] }] };
    const created = await harness.call('create_segment', 'POST', '/api/segments', { body: createBody('EU', definition) });
    expect(created.status).toBe(201);
    harness.clock.now += 1000;
    const counted = await harness.call('get_segment', 'GET', `/api/segments/${created.json.data.id}?additional-fields[segment]=profile_count`);
    expect(counted.status).toBe(400);
    expect(counted.json.errors[0].detail).toMatch(/counts segment members only for profile-property conditions/);
  });
});
