import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKlaviyoClient, type KlaviyoClientDeps } from '../../src/klaviyo/client.ts';
import { AuthError, ResponseShapeError, RetriableError, ThrottledError } from '../../src/errors.ts';
import { validateKlaviyoRequest } from '../../src/openapi/klaviyo-validator.ts';
import { createTestClock } from '../helpers/clock.ts';

const ORIGIN = 'https://a.klaviyo.com';
// Built at run time so that no key-shaped literal sits in the repository.
const API_KEY = `pk_${'0123456789abcdef'.repeat(2)}01`;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

/** A client on the test clock (sleeps take no time); every sleep is recorded. */
function client(overrides: Partial<KlaviyoClientDeps> = {}) {
  const clock = createTestClock(1_000_000);
  const klaviyo = createKlaviyoClient({ apiKey: API_KEY, now: clock.now, sleep: clock.sleep, random: () => 0.5, ...overrides });
  return { klaviyo, sleeps: clock.sleeps };
}

/** Captures request bodies per operation and checks each against Klaviyo's OpenAPI schema. */
function validBody(operationId: string, sent: unknown[]) {
  return (body: unknown) => {
    sent.push(body);
    expect(validateKlaviyoRequest(operationId, body)).toEqual([]);
    return true;
  };
}

// nock 14 hangs axios when replyWithError gets a plain object; an Error with a code works.
const connectionReset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

const job = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  data: {
    type: 'profile-bulk-import-job',
    id,
    attributes: { status, created_at: '2026-07-20T00:00:00+00:00', total_count: 2, completed_count: 0, failed_count: 0, ...extra },
  },
});

describe('klaviyo client (HTTP edge cases)', () => {
  it('sends revision 2026-07-15 and the key, and a bulk import body valid against the spec', async () => {
    const sent: unknown[] = [];
    nock(ORIGIN, { reqheaders: { revision: '2026-07-15', authorization: `Klaviyo-API-Key ${API_KEY}` } })
      .post('/api/profile-bulk-import-jobs', validBody('bulk_import_profiles', sent))
      .reply(202, job('J1', 'queued'));
    const { klaviyo } = client();
    const jobs = await klaviyo.upsertProfiles([
      { email: 'a@example.com', externalId: '7100000001', properties: { tiersync_tier: 'vip', tiersync_ltv: 1234.5 } },
      { email: 'b@example.com', externalId: '7100000002', properties: { tiersync_suppressed: true, tiersync_cohort: null } },
      { email: 'c@example.com', properties: { tiersync_tier: 'new' } },
    ]);
    expect(jobs).toEqual([{ jobId: 'J1', first: 0, count: 3 }]);
    expect(sent[0]).toEqual({
      data: {
        type: 'profile-bulk-import-job',
        attributes: {
          profiles: {
            data: [
              { type: 'profile', attributes: { email: 'a@example.com', external_id: '7100000001', properties: { tiersync_tier: 'vip', tiersync_ltv: 1234.5 } } },
              { type: 'profile', attributes: { email: 'b@example.com', external_id: '7100000002', properties: { tiersync_suppressed: true, tiersync_cohort: null } } },
              // An existing profile: no external_id sent.
              { type: 'profile', attributes: { email: 'c@example.com', properties: { tiersync_tier: 'new' } } },
            ],
          },
        },
      },
    });
  });

  it('sends a property removal as meta.patch_properties.unset, with the same headers, valid against the spec', async () => {
    const sent: unknown[] = [];
    nock(ORIGIN, { reqheaders: { revision: '2026-07-15', authorization: `Klaviyo-API-Key ${API_KEY}` } })
      .post('/api/profile-bulk-import-jobs', validBody('bulk_import_profiles', sent))
      .reply(202, job('J2', 'queued'));
    const { klaviyo } = client();
    await klaviyo.upsertProfiles([{ email: 'gone@example.com', properties: {}, unset: ['tiersync_ltv', 'tiersync_tier'] }]);
    expect(sent[0]).toEqual({
      data: {
        type: 'profile-bulk-import-job',
        attributes: {
          profiles: { data: [{ type: 'profile', attributes: { email: 'gone@example.com', properties: {} }, meta: { patch_properties: { unset: ['tiersync_ltv', 'tiersync_tier'] } } }] },
        },
      },
    });
  });

  it('talks to the base URL it is given instead of a.klaviyo.com', async () => {
    nock('http://127.0.0.1:4010').get('/api/lists').query(true).reply(200, { data: [{ type: 'list', id: 'L1', attributes: { name: 'tiersync: VIP' } }] });
    const { klaviyo } = client({ baseUrl: 'http://127.0.0.1:4010/' });
    expect(await klaviyo.findOrCreateList('tiersync: VIP')).toEqual({ id: 'L1', name: 'tiersync: VIP', created: false });
  });

  it('turns a 401 into an AuthError naming KLAVIYO_API_KEY, without the key, and does not retry', async () => {
    const scope = nock(ORIGIN)
      .get('/api/lists')
      .query(true)
      .reply(401, { errors: [{ code: 'authentication_failed', detail: `Incorrect key ${API_KEY}` }] });
    const { klaviyo } = client();
    const error = await klaviyo.findOrCreateList('tiersync: VIP').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/KLAVIYO_API_KEY/);
    expect((error as Error).message).not.toContain(API_KEY);
    expect(JSON.stringify((error as Error).cause ?? null)).not.toContain(API_KEY);
    expect(scope.isDone()).toBe(true);
  });

  it('fails a list create at once when the 429 says the daily window is spent, instead of waiting hours', async () => {
    const scope = nock(ORIGIN)
      .get('/api/lists')
      .query(true)
      .reply(200, { data: [] })
      .post('/api/lists')
      .reply(429, { errors: [{ code: 'throttled', detail: 'Request was throttled. Expected available in 86000 seconds.' }] }, { 'Retry-After': '86000' });
    const { klaviyo, sleeps } = client();
    const error = await klaviyo.findOrCreateList('tiersync: VIP').catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'klaviyo POST /api/lists: HTTP 429: Klaviyo refuses list creation for another 86000 s (create_list allows 150 a day per account): list "tiersync: VIP" not created, so nobody was added to it this run; the next sync tries again',
    );
    expect(error).not.toBeInstanceOf(RetriableError);
    expect(sleeps.filter((ms) => ms > 60_000)).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it('waits the Retry-After of a 429, then succeeds', async () => {
    nock(ORIGIN)
      .get('/api/profile-bulk-import-jobs/J1')
      .reply(429, { errors: [{ code: 'throttled', detail: 'Request was throttled. Expected available in 3 seconds.' }] }, { 'Retry-After': '3' })
      .get('/api/profile-bulk-import-jobs/J1')
      .reply(200, job('J1', 'complete', { completed_count: 2 }));
    const { klaviyo, sleeps } = client();
    const result = await klaviyo.waitForImportJob('J1');
    expect(result).toEqual({ jobId: 'J1', status: 'complete', totalCount: 2, completedCount: 2, failedCount: 0, errors: [] });
    expect(sleeps).toContain(3000);
    expect(klaviyo.stats()).toMatchObject({ throttled: 1, retried: 1, requests: { get_bulk_import_profiles_job: 2 } });
  });

  it('retries a 503 and a reset connection with backoff, then succeeds', async () => {
    const sent: unknown[] = [];
    nock(ORIGIN)
      .post('/api/lists/L1/relationships/profiles')
      .reply(503, { errors: [{ code: 'service_unavailable', detail: 'try again' }] })
      .post('/api/lists/L1/relationships/profiles')
      .replyWithError(connectionReset())
      .post('/api/lists/L1/relationships/profiles', validBody('add_profiles_to_list', sent))
      .reply(204);
    const { klaviyo, sleeps } = client();
    expect(await klaviyo.addListMembers('L1', ['P1', 'P2', 'P1'])).toBe(1);
    expect(sent).toEqual([{ data: [{ type: 'profile', id: 'P1' }, { type: 'profile', id: 'P2' }] }]);
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms.
    expect(sleeps).toEqual([250, 500]);
  });

  it('gives up after the bounded attempts with the last RetriableError', async () => {
    nock(ORIGIN).get('/api/profile-bulk-import-jobs/J1').times(3).reply(500, { errors: [{ code: 'error', detail: 'boom' }] });
    const { klaviyo } = client({ maxAttempts: 3 });
    const error = await klaviyo.waitForImportJob('J1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableError);
    expect(error).not.toBeInstanceOf(ThrottledError);
    expect((error as Error).message).toMatch(/GET \/api\/profile-bulk-import-jobs\/J1: HTTP 500/);
  });

  it('rejects a malformed response as ResponseShapeError, naming the request', async () => {
    nock(ORIGIN).post('/api/profile-bulk-import-jobs').reply(202, { data: { type: 'profile-bulk-import-job', attributes: {} } });
    const { klaviyo } = client();
    const error = await klaviyo
      .upsertProfiles([{ email: 'a@example.com', externalId: '1', properties: {} }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as Error).message).toMatch(/POST \/api\/profile-bulk-import-jobs/);
  });

  it('creates a missing list with a valid body, and finds it again rather than creating twice after a lost answer', async () => {
    const sent: unknown[] = [];
    nock(ORIGIN)
      .get('/api/lists')
      .query({ filter: 'equals(name,"tiersync: VIP")' })
      .reply(200, { data: [] })
      .post('/api/lists', validBody('create_list', sent))
      .replyWithError(connectionReset())
      .get('/api/lists')
      .query(true)
      .reply(200, { data: [{ type: 'list', id: 'NEW1', attributes: { name: 'tiersync: VIP' } }] });
    const { klaviyo } = client();
    expect(await klaviyo.findOrCreateList('tiersync: VIP')).toEqual({ id: 'NEW1', name: 'tiersync: VIP', created: false });
    expect(sent).toEqual([{ data: { type: 'list', attributes: { name: 'tiersync: VIP' } } }]);
  });

  it('splits list changes into calls of at most 1,000 profiles, each body valid', async () => {
    const sizes: number[] = [];
    nock(ORIGIN)
      .delete('/api/lists/L1/relationships/profiles', (body: { data: unknown[] }) => {
        expect(validateKlaviyoRequest('remove_profiles_from_list', body)).toEqual([]);
        sizes.push(body.data.length);
        return true;
      })
      .times(3)
      .reply(204);
    const { klaviyo } = client();
    const ids = Array.from({ length: 2500 }, (_, i) => `P${i}`);
    expect(await klaviyo.removeListMembers('L1', ids)).toBe(3);
    expect(sizes.sort((a, b) => b - a)).toEqual([1000, 1000, 500]);
  });

  it('follows pagination for list members and import errors', async () => {
    nock(ORIGIN)
      .get('/api/lists/L1/relationships/profiles')
      .query({ 'page[size]': '100' })
      .reply(200, {
        data: [{ type: 'profile', id: 'P3' }, { type: 'profile', id: 'P1' }],
        links: { self: 'x', next: `${ORIGIN}/api/lists/L1/relationships/profiles?page%5Bsize%5D=100&page%5Bcursor%5D=abc` },
      })
      .get('/api/lists/L1/relationships/profiles')
      .query({ 'page[size]': '100', 'page[cursor]': 'abc' })
      .reply(200, { data: [{ type: 'profile', id: 'P2' }], links: { self: 'y', next: null } })
      .get('/api/profile-bulk-import-jobs/J9')
      .reply(200, job('J9', 'complete', { completed_count: 1, failed_count: 1 }))
      .get('/api/profile-bulk-import-jobs/J9/import-errors')
      .query({ 'page[size]': '100' })
      .reply(200, {
        data: [
          {
            type: 'import-error',
            id: 'E1',
            attributes: {
              code: 'invalid',
              title: 'Invalid input.',
              detail: 'Invalid email address',
              source: { pointer: '/data/attributes/profiles/data/1/attributes/email' },
              original_payload: { type: 'profile', attributes: { email: 'bad@' } },
            },
          },
        ],
        links: { self: 'z' },
      });
    const { klaviyo } = client();
    expect(await klaviyo.listMemberIds('L1')).toEqual(['P1', 'P2', 'P3']);
    const result = await klaviyo.waitForImportJob('J9');
    expect(result.errors).toEqual([{ code: 'invalid', title: 'Invalid input.', detail: 'Invalid email address', email: 'bad@' }]);
  });

  it('polls a running job with growing delays until it completes', async () => {
    nock(ORIGIN)
      .get('/api/profile-bulk-import-jobs/J2')
      .reply(200, job('J2', 'queued'))
      .get('/api/profile-bulk-import-jobs/J2')
      .reply(200, job('J2', 'processing'))
      .get('/api/profile-bulk-import-jobs/J2')
      .reply(200, job('J2', 'complete', { completed_count: 2 }));
    const { klaviyo, sleeps } = client();
    expect((await klaviyo.waitForImportJob('J2', { firstPollMs: 1000 })).status).toBe('complete');
    expect(sleeps).toEqual([1000, 1500]);
  });

  it('refuses an empty key before sending anything', () => {
    expect(() => client({ apiKey: ' ' })).toThrow(/KLAVIYO_API_KEY is empty/);
  });
});
