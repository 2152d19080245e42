import { afterEach, describe, expect, it } from 'vitest';
import { createKlaviyoClient } from '../../src/klaviyo/client.ts';
import { createKlaviyoSandbox, type KlaviyoSandbox } from '../../src/sandbox/klaviyo/server.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

const API_KEY = 'pk_sandbox_test_key';
const TIME_SCALE = 1000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let running: KlaviyoSandbox | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

describe('list membership through import jobs, and members by email', () => {
  it('adds every profile of an import job to its lists and reads members back with emails', async () => {
    running = createKlaviyoSandbox({ apiKey: API_KEY, seed: 3, timeScale: TIME_SCALE, initialProfiles: [{ email: 'Old@Example.com' }] });
    const baseUrl = await running.listen(0, '127.0.0.1');
    const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl, sleep, now: Date.now, random: seededRandom(1), timeScale: TIME_SCALE });
    const vip = await client.findOrCreateList('tiersync: VIP');
    const reactivate = await client.findOrCreateList('tiersync: Reactivate');
    const profiles = Array.from({ length: 150 }, (_, i) => ({ email: `p${i}@example.com`, externalId: `c${i}`, properties: { tiersync_tier: 'vip' } }));
    const jobs = await client.upsertProfiles([...profiles, { email: 'old@example.com', externalId: 'c-old', properties: {} }], { listIds: [vip.id, reactivate.id] });
    for (const job of jobs) expect((await client.waitForImportJob(job.jobId)).status).toBe('complete');

    const members = await client.listMembers(vip.id);
    expect(members).toHaveLength(151);
    expect(new Set(members.map((m) => m.email))).toEqual(new Set([...profiles.map((p) => p.email), 'old@example.com']));
    const state = running.state();
    const old = state.profiles.find((p) => p.email?.toLowerCase() === 'old@example.com')!;
    expect(state.lists.find((l) => l.name === 'tiersync: Reactivate')!.profile_ids).toContain(old.id);
    expect(members.find((m) => m.email === 'old@example.com')!.id).toBe(old.id);
  });
});
