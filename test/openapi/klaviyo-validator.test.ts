import { describe, expect, it } from 'vitest';
import { loadKlaviyoOperations } from '../../src/openapi/klaviyo-operations.ts';
import { createKlaviyoValidator, validateKlaviyoRequest, validateKlaviyoResponse } from '../../src/openapi/klaviyo-validator.ts';

describe('validateKlaviyoRequest', () => {
  it('rejects a body missing a required field and names where', () => {
    expect(validateKlaviyoRequest('create_list', { data: { type: 'list', attributes: {} } })).toEqual([
      { pointer: '/data/attributes/name', message: "'name' is a required property" },
    ]);
    expect(validateKlaviyoRequest('add_profiles_to_list', { data: [{ type: 'profile' }] })).toEqual([
      { pointer: '/data/0/id', message: "'id' is a required property" },
    ]);
  });

  it('rejects a wrong enum value and a wrong type', () => {
    const errors = validateKlaviyoRequest('create_profile', { data: { type: 'person', attributes: { email: 42 } } });
    expect(errors.map((error) => error.pointer).sort()).toEqual(['/data/attributes/email', '/data/type']);
  });

  it('accepts nulls where the spec says nullable, including on a $ref (location) and a oneOf (unset)', () => {
    const body = {
      data: {
        type: 'profile',
        attributes: { email: 'a@example.com', first_name: null, location: null, properties: { tier: 'vip' } },
        meta: { patch_properties: { append: { skus: '1' }, unset: ['old'] } },
      },
    };
    expect(validateKlaviyoRequest('create_or_update_profile', body)).toEqual([]);
    expect(validateKlaviyoRequest('create_or_update_profile', { data: { ...body.data, meta: { patch_properties: { unset: 5 } } } })).not.toEqual([]);
  });

  it('throws for an operation it does not know', () => {
    expect(() => validateKlaviyoRequest('no_such_operation', {})).toThrow(/no operation "no_such_operation"/);
  });
});

describe('validateKlaviyoResponse', () => {
  const profile = {
    type: 'profile',
    id: '01KDX0YM00W3N8ZQ6Y3B5H1C2D',
    attributes: { email: 'a@example.com', created: '2026-01-01T00:00:00+00:00', properties: {} },
    links: { self: 'http://127.0.0.1:4010/api/profiles/01KDX0YM00W3N8ZQ6Y3B5H1C2D/' },
  };

  it('accepts a conforming body and checks formats (date-time, uri)', () => {
    expect(validateKlaviyoResponse('get_profile', 200, { data: profile })).toEqual([]);
    expect(validateKlaviyoResponse('get_profile', 200, { data: { ...profile, attributes: { created: 'yesterday' } } })).toEqual([
      { pointer: '/data/attributes/created', message: 'must match format "date-time"' },
    ]);
    expect(validateKlaviyoResponse('get_profile', 200, { data: { ...profile, links: { self: 'not a uri' } } })).toEqual([
      { pointer: '/data/links/self', message: 'must match format "uri"' },
    ]);
  });

  it('checks error bodies against the 4XX/5XX schemas', () => {
    const error = { id: 'e1', status: 429, code: 'throttled', title: 'Request was throttled.', detail: 'd', source: { pointer: '/data/' } };
    expect(validateKlaviyoResponse('get_lists', 429, { errors: [error] })).toEqual([]);
    expect(validateKlaviyoResponse('get_lists', 503, { errors: [{ ...error, code: undefined }] })).toEqual([
      { pointer: '/errors/0/code', message: "'code' is a required property" },
    ]);
  });

  it('requires an empty body for a 204 and refuses an undocumented status', () => {
    expect(validateKlaviyoResponse('add_profiles_to_list', 204, undefined)).toEqual([]);
    expect(validateKlaviyoResponse('add_profiles_to_list', 204, { data: [] })).toHaveLength(1);
    expect(validateKlaviyoResponse('get_lists', 302, {})[0]?.message).toMatch(/status 302 is not a documented response/);
  });
});

describe('loadKlaviyoOperations', () => {
  it('reads method, path, page sizes and the published rate limits from the operation files', () => {
    const operations = loadKlaviyoOperations();
    const add = operations.get('add_profiles_to_list');
    expect(add?.method).toBe('POST');
    expect(add?.path).toBe('/api/lists/{id}/relationships/profiles');
    expect(add?.rateLimit).toEqual({ burstPerSecond: 10, steadyPerMinute: 150, dailyLimit: null });
    expect(operations.get('create_list')?.rateLimit).toEqual({ burstPerSecond: 10, steadyPerMinute: 150, dailyLimit: 150 });
    expect(operations.get('create_or_update_profile')?.rateLimit).toEqual({ burstPerSecond: 75, steadyPerMinute: 750, dailyLimit: null });
    expect(operations.get('get_lists')?.pageSize).toEqual({ defaultSize: 10, maxSize: 10 });
    expect(operations.get('get_profiles')?.pageSize).toEqual({ defaultSize: 20, maxSize: 100 });
    expect(operations.get('get_profile')?.pageSize).toBeNull();
  });

  it('names the file when a document is not an operation file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'klaviyo-openapi-'));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ info: { version: '1' } }));
    expect(() => createKlaviyoValidator(dir)).toThrow(/broken\.json is not an operation document/);
  });
});
