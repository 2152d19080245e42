import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, startHarness, type Harness } from './harness.ts';

describe('Klaviyo sandbox: authentication, revision, routing and bodies', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('answers 401 not_authenticated without an Authorization header or with another scheme', async () => {
    for (const options of [{ omit: ['authorization' as const] }, { headers: { Authorization: `Bearer ${API_KEY}` } }]) {
      const result = await harness.call('get_lists', 'GET', '/api/lists', options);
      expect(result.status).toBe(401);
      expect(result.json.errors[0]).toMatchObject({
        status: 401,
        code: 'not_authenticated',
        title: 'Authentication credentials were not provided.',
        detail: 'Missing or invalid authorization scheme. Please use Klaviyo-API-Key.',
      });
    }
  });

  it('answers 401 authentication_failed for a wrong private key, and 400 for a missing key or a public key', async () => {
    const wrong = await harness.call('get_lists', 'GET', '/api/lists', { headers: { Authorization: 'Klaviyo-API-Key pk_wrong' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.errors[0].code).toBe('authentication_failed');
    const missing = await harness.call('get_lists', 'GET', '/api/lists', { headers: { Authorization: 'Klaviyo-API-Key ' } });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].code).toBe('not_authenticated');
    const publicKey = await harness.call('get_lists', 'GET', '/api/lists', { headers: { Authorization: 'Klaviyo-API-Key AbC123' } });
    expect(publicKey.status).toBe(400);
    expect(publicKey.json.errors[0].code).toBe('authentication_failed');
  });

  it("answers 403 permission_denied for an operation outside the key's scopes; write scopes cover reads", async () => {
    const limited = await startHarness({ scopes: ['lists:write'] });
    try {
      expect((await limited.call('get_lists', 'GET', '/api/lists')).status).toBe(200);
      const profiles = await limited.call('get_profiles', 'GET', '/api/profiles');
      expect(profiles.status).toBe(403);
      expect(profiles.json.errors[0]).toMatchObject({ code: 'permission_denied', detail: 'This API key is missing the scopes profiles:read.' });
      expect(profiles.headers.get('ratelimit-limit')).toBe('750');
    } finally {
      await limited.close();
    }
  });

  it('serves every GA revision still in its two years of support, and answers 400 for a missing, unknown, newer or retired one', async () => {
    harness.clock.now = Date.parse('2026-12-01T00:00:00Z');
    for (const revision of ['2026-07-15', '2026-07-15.pre', '2026-04-15', '2025-01-15']) {
      expect((await harness.call('get_lists', 'GET', '/api/lists', { headers: { revision } })).status, revision).toBe(200);
    }
    const missing = await harness.call('get_lists', 'GET', '/api/lists', { omit: ['revision'] });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0]).toMatchObject({ code: 'invalid', source: { parameter: 'revision' } });
    const retired = await harness.call('get_lists', 'GET', '/api/lists', { headers: { revision: '2024-10-15' } });
    expect(retired.status).toBe(400);
    expect(retired.json.errors[0].detail).toMatch(/^Revision 2024-10-15 was retired on 2026-10-15: this sandbox serves 2026-07-15 and accepts the supported revisions 2025-01-15, /);
    for (const revision of ['2026-07-16', '2026-10-15', 'latest']) {
      const refused = await harness.call('get_lists', 'GET', '/api/lists', { headers: { revision } });
      expect(refused.status, revision).toBe(400);
      expect(refused.json.errors[0].detail).toMatch(new RegExp(`^Invalid revision "${revision}"`));
    }
  });

  it('puts RateLimit-* headers on every answer but a 429: successes and errors, before and after the limiter', async () => {
    const ok = await harness.call('get_lists', 'GET', '/api/lists');
    expect([ok.headers.get('ratelimit-limit'), ok.headers.get('ratelimit-remaining')]).toEqual(['750', '749']);
    expect(Number(ok.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    // A refused key is answered before the limiter counts it: the window as it stands.
    const unauthenticated = await harness.call('get_lists', 'GET', '/api/lists', { omit: ['authorization'] });
    expect([unauthenticated.status, unauthenticated.headers.get('ratelimit-limit'), unauthenticated.headers.get('ratelimit-remaining')]).toEqual([401, '750', '749']);
    const badBody = await harness.call('create_list', 'POST', '/api/lists', { body: { data: { type: 'list', attributes: {} } }, invalidBody: true });
    expect([badBody.status, badBody.headers.get('ratelimit-limit'), badBody.headers.get('ratelimit-remaining')]).toEqual([400, '150', '149']);
    const missingList = await harness.call('get_list', 'GET', '/api/lists/NoSuch/');
    expect([missingList.status, missingList.headers.get('ratelimit-limit')]).toEqual([404, '750']);
  });

  it('answers 404 for an unknown path and 405 for a known path with the wrong method', async () => {
    const unknown = await harness.call('get_lists', 'GET', '/api/campaigns');
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0].code).toBe('not_found');
    const wrongMethod = await harness.call('get_lists', 'PUT', '/api/lists');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json.errors[0].detail).toBe('Allowed: GET, POST.');
  });

  it('accepts application/json as well as application/vnd.api+json and refuses other media types with 415', async () => {
    const body = { data: { type: 'list', attributes: { name: 'Plain JSON' } } };
    const plain = await harness.call('create_list', 'POST', '/api/lists', { body, headers: { 'Content-Type': 'application/json' } });
    expect(plain.status).toBe(201);
    const text = await harness.call('create_list', 'POST', '/api/lists', { body, headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.json.errors[0].code).toBe('unsupported_media_type');
  });

  it('answers 400 parse_error for malformed JSON and 400 invalid with a pointer per schema error', async () => {
    const malformed = await harness.call('create_list', 'POST', '/api/lists', { rawBody: '{"data": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0].code).toBe('parse_error');

    const invalid = await harness.call('create_list', 'POST', '/api/lists', {
      body: { data: { type: 'segment', attributes: {} } },
      invalidBody: true,
    });
    expect(invalid.status).toBe(400);
    const pointers = invalid.json.errors.map((error: { source: { pointer: string } }) => error.source.pointer).sort();
    expect(pointers).toEqual(['/data/attributes/name', '/data/type']);
    expect(invalid.json.errors.every((error: { code: string; status: number }) => error.code === 'invalid' && error.status === 400)).toBe(true);
    expect(harness.sandbox.state().lists).toEqual([]);
  });
});
