import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKlaviyoClient } from '../../src/klaviyo/client.ts';
import { createTestClock } from '../helpers/clock.ts';
import { KLAVIYO_LIMITS, limitWindows, type KlaviyoEndpoint } from '../../src/klaviyo/rate-limits.ts';
import { MAX_JOB_BYTES } from '../../src/klaviyo/upsert-profiles.ts';
import { loadKlaviyoOperations } from '../../src/openapi/klaviyo-operations.ts';

const ORIGIN = 'https://a.klaviyo.com';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

function client() {
  const clock = createTestClock();
  return createKlaviyoClient({ apiKey: 'pk_test_0000000000', now: clock.now, sleep: clock.sleep, random: () => 0.5 });
}

describe('klaviyo limits', () => {
  it('match the x-klaviyo-ratelimit of each operation in the OpenAPI files', () => {
    const operations = loadKlaviyoOperations();
    for (const [endpoint, limit] of Object.entries(KLAVIYO_LIMITS) as [KlaviyoEndpoint, (typeof KLAVIYO_LIMITS)[KlaviyoEndpoint]][]) {
      // A `:profile_count` variant's limits are stated in its operation's description, not in x-klaviyo-ratelimit.
      const [operationId, variant] = endpoint.split(':') as [string, string | undefined];
      const description = JSON.stringify(operations.get(operationId)?.document ?? {});
      const stated = variant && /Burst: `(\d+)\/s`<br>Steady: `(\d+)\/m`/.exec(description.slice(description.indexOf(`additional-fields[list]=${variant}`)));
      const published = variant
        ? stated ? { burstPerSecond: Number(stated[1]), steadyPerMinute: Number(stated[2]), dailyLimit: null } : undefined
        : operations.get(endpoint)?.rateLimit;
      expect(published, endpoint).toBeDefined();
      expect({ burst: limit.burstPerSecond, steady: limit.steadyPerMinute, daily: limit.perDay ?? null }, endpoint).toEqual({
        burst: published?.burstPerSecond,
        steady: published?.steadyPerMinute,
        daily: published?.dailyLimit,
      });
    }
  });

  it('become windows shortened by the time scale, padded by the margin, in whole ms rounded up', () => {
    expect(limitWindows({ burstPerSecond: 10, steadyPerMinute: 150, perDay: 150 }, 8, 0.25)).toEqual([
      { limit: 10, intervalMs: 157 },
      { limit: 150, intervalMs: 9375 },
      { limit: 150, intervalMs: 13_500_000 },
    ]);
  });
});

describe('klaviyo upsertProfiles splitting', () => {
  it('splits by 10,000 profiles a job', async () => {
    const counts: number[] = [];
    nock(ORIGIN)
      .post('/api/profile-bulk-import-jobs', (body: { data: { attributes: { profiles: { data: unknown[] } } } }) => {
        counts.push(body.data.attributes.profiles.data.length);
        return true;
      })
      .times(3)
      .reply(202, (_uri, _body) => ({
        data: { type: 'profile-bulk-import-job', id: `J${counts.length}`, attributes: { status: 'queued', total_count: 1 } },
      }));
    const profiles = Array.from({ length: 20_001 }, (_, i) => ({ email: `c${i}@example.com`, externalId: String(i), properties: {} }));
    const jobs = await client().upsertProfiles(profiles);
    expect(counts.sort((a, b) => b - a)).toEqual([10_000, 10_000, 1]);
    expect(jobs.map((j) => [j.first, j.count])).toEqual([
      [0, 10_000],
      [10_000, 10_000],
      [20_000, 1],
    ]);
  });

  it('splits by payload size so that no job body reaches 5 MB', async () => {
    const sizes: number[] = [];
    nock(ORIGIN)
      .post('/api/profile-bulk-import-jobs', (body: unknown) => {
        sizes.push(Buffer.byteLength(JSON.stringify(body)));
        return true;
      })
      .times(2)
      .reply(202, { data: { type: 'profile-bulk-import-job', id: 'J', attributes: { status: 'queued', total_count: 1 } } });
    // 60 profiles of ~90 KB: about 5.4 MB in all, so two jobs.
    const filler = 'x'.repeat(90_000);
    const profiles = Array.from({ length: 60 }, (_, i) => ({ email: `c${i}@example.com`, externalId: String(i), properties: { note: filler } }));
    const jobs = await client().upsertProfiles(profiles);
    expect(jobs).toHaveLength(2);
    expect(jobs.reduce((n, j) => n + j.count, 0)).toBe(60);
    expect(Math.max(...sizes)).toBeLessThan(MAX_JOB_BYTES);
  });

  it('refuses a profile over 100 KB and an invalid email before sending anything', async () => {
    await expect(
      client().upsertProfiles([{ email: 'big@example.com', externalId: '1', properties: { note: 'x'.repeat(110_000) } }]),
    ).rejects.toThrow(/profile 0 \(big@example.com\) is \d+ bytes/);
    await expect(client().upsertProfiles([{ email: 'nope', externalId: '1', properties: {} }])).rejects.toThrow(/profile 0 \(nope\)/);
  });
});
