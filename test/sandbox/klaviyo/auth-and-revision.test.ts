import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

describe('Klaviyo sandbox: authentication, revision, routing and bodies', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('answers 401 not_authenticated without an Authorization header', async () => {
    const result = await harness.call('get_lists', 'GET', '/api/lists', { omit: ['authorization'] });
    expect(result.status).toBe(401);
    expect(result.json.errors[0]).toMatchObject({ status: 401, code: 'not_authenticated', title: 'Authentication credentials were not provided.' });
  });

  it('answers 401 authentication_failed for a wrong key or a wrong scheme', async () => {
    for (const authorization of ['Klaviyo-API-Key pk_wrong', 'Bearer pk_sandbox_test_key']) {
      const result = await harness.call('get_lists', 'GET', '/api/lists', { headers: { Authorization: authorization } });
      expect(result.status).toBe(401);
      expect(result.json.errors[0].code).toBe('authentication_failed');
    }
  });

  it('answers 400 when the revision header is missing or not the emulated revision', async () => {
    const missing = await harness.call('get_lists', 'GET', '/api/lists', { omit: ['revision'] });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0]).toMatchObject({ code: 'invalid', source: { parameter: 'revision' } });
    const old = await harness.call('get_lists', 'GET', '/api/lists', { headers: { revision: '2023-02-22' } });
    expect(old.status).toBe(400);
    expect(old.json.errors[0].detail).toMatch(/serves revision 2026-07-15/);
    const suffixed = await harness.call('get_lists', 'GET', '/api/lists', { headers: { revision: '2026-07-15.pre' } });
    expect(suffixed.status).toBe(200);
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
