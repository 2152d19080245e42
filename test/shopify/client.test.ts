import nock from 'nock';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, AuthError, ResponseShapeError, RetriableError, ThrottledError } from '../../src/errors.ts';
import { cost, GRAPHQL_PATH, ORIGIN, testClient, TOKEN } from './helpers/test-client.ts';

const shopRequest = {
  operation: 'shop id',
  document: '{ shop { id } }',
  estimatedCost: 1,
  data: z.object({ shop: z.object({ id: z.string() }) }),
};

const ok = { data: { shop: { id: 'gid://shopify/Shop/1' } }, extensions: cost(1, 1, 1999) };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

describe('createShopifyClient', () => {
  it('posts the document with the access token to the 2026-07 endpoint and returns the validated data', async () => {
    let seen: { token?: string; body?: unknown } = {};
    nock(ORIGIN)
      .post(GRAPHQL_PATH)
      .reply(function (_uri, body) {
        seen = { token: String(this.req.headers['x-shopify-access-token']), body };
        return [200, ok];
      });
    const { client } = testClient();
    await expect(client.request({ ...shopRequest, variables: { a: 1 } })).resolves.toEqual({ shop: { id: 'gid://shopify/Shop/1' } });
    expect(seen).toEqual({ token: TOKEN, body: { query: '{ shop { id } }', variables: { a: 1 } } });
    expect(client.scheduler.snapshot()).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
  });

  it('maps 401 to an AuthError that names SHOPIFY_ADMIN_TOKEN, hides the token and is not retried', async () => {
    const scope = nock(ORIGIN).post(GRAPHQL_PATH).reply(401, `[API] Invalid API key or access token (unrecognized login or wrong password) ${TOKEN}`);
    const { client } = testClient();
    const error = await client.request(shopRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('SHOPIFY_ADMIN_TOKEN');
    expect((error as Error).message).not.toContain(TOKEN);
    expect((error as AuthError).status).toBe(401);
    expect(client.stats().requests).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it('maps 403 to an AuthError too', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).reply(403, 'Forbidden');
    const { client } = testClient();
    await expect(client.request(shopRequest)).rejects.toBeInstanceOf(AuthError);
  });

  it('on THROTTLED waits (requested − available) / restoreRate, then retries and succeeds', async () => {
    nock(ORIGIN)
      .post(GRAPHQL_PATH)
      .reply(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(500, null, 100, 2000, 50) })
      .post(GRAPHQL_PATH)
      .reply(200, ok);
    const { client, clock } = testClient();
    await expect(client.request({ ...shopRequest, estimatedCost: 500 })).resolves.toEqual(ok.data);
    // (500 − 100) / 50 = 8 s; after it the bucket holds 500, so the scheduler adds no wait.
    expect(clock.sleeps).toEqual([8000]);
    expect(client.stats()).toMatchObject({ requests: 2, throttled: 1, retries: 1 });
  });

  it('builds the ThrottledError with the computed wait', async () => {
    nock(ORIGIN)
      .post(GRAPHQL_PATH)
      .reply(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(300, null, 50, 1000, 100) });
    const { client } = testClient({ maxAttempts: 1 });
    const error = await client.request(shopRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBe(2500);
  });

  it('on HTTP 429 waits Retry-After seconds', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).reply(429, 'Too Many Requests', { 'Retry-After': '2' }).post(GRAPHQL_PATH).reply(200, ok);
    const { client, clock } = testClient();
    await expect(client.request(shopRequest)).resolves.toEqual(ok.data);
    expect(clock.sleeps).toEqual([2000]);
    expect(client.stats().throttled).toBe(1);
  });

  it('retries 5xx with jittered exponential backoff', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).reply(503, 'busy').post(GRAPHQL_PATH).reply(500, 'oops').post(GRAPHQL_PATH).reply(200, ok);
    const { client, clock } = testClient();
    await expect(client.request(shopRequest)).resolves.toEqual(ok.data);
    // random() = 0.5: floor(0.5 × 500) then floor(0.5 × 1000).
    expect(clock.sleeps).toEqual([250, 500]);
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2, throttled: 0 });
  });

  it('retries a reset connection', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' }).post(GRAPHQL_PATH).reply(200, ok);
    const { client } = testClient();
    await expect(client.request(shopRequest)).resolves.toEqual(ok.data);
    expect(client.stats().retries).toBe(1);
  });

  it('gives up after maxAttempts with the last RetriableError', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).times(3).reply(502, 'bad gateway');
    const { client } = testClient({ maxAttempts: 3 });
    const error = await client.request(shopRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableError);
    expect((error as RetriableError).status).toBe(502);
    expect((error as Error).message).toContain('shop id');
  });

  it('maps GraphQL validation errors to an ApiError naming the operation, without retrying', async () => {
    nock(ORIGIN)
      .post(GRAPHQL_PATH)
      .reply(200, { errors: [{ message: "Field 'nope' doesn't exist on type 'Shop'", extensions: { code: 'undefinedField' }, path: ['query', 'shop', 'nope'] }] });
    const { client } = testClient();
    const error = await client.request(shopRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(RetriableError);
    expect((error as Error).message).toContain('shopify shop id:');
    expect((error as Error).message).toContain("Field 'nope' doesn't exist");
    expect(client.stats().requests).toBe(1);
  });

  it('rejects a malformed response with a ResponseShapeError naming the operation and the path', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).reply(200, { data: { shop: { id: 42 } }, extensions: cost(1, 1, 1999) });
    const { client } = testClient();
    const error = await client.request(shopRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as Error).message).toContain('shop id');
    expect((error as Error).message).toContain('data.shop.id');
  });

  it('rejects a body that is not JSON', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).reply(200, '<html>maintenance</html>');
    const { client } = testClient();
    await expect(client.request(shopRequest)).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it('waits before sending when the learned bucket cannot hold the next query', async () => {
    nock(ORIGIN).post(GRAPHQL_PATH).reply(200, { ...ok, extensions: cost(1, 1, 200) }).post(GRAPHQL_PATH).reply(200, ok);
    const { client, clock } = testClient();
    await client.request(shopRequest);
    await client.request({ ...shopRequest, document: '{ shop { id name } }', estimatedCost: 700 });
    // (700 − 200) / 100 = 5 s, before the second request rather than a THROTTLED after it.
    expect(clock.sleeps).toEqual([5000]);
    expect(client.stats().throttled).toBe(0);
  });

  it('uses the sandbox base URL when given one', async () => {
    nock('http://127.0.0.1:4567').post(GRAPHQL_PATH).reply(200, ok);
    const { client } = testClient({ baseUrl: 'http://127.0.0.1:4567/' });
    await expect(client.request(shopRequest)).resolves.toEqual(ok.data);
  });
});
