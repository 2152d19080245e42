import { describe, expect, it } from 'vitest';
import { KlaviyoApiError } from '../../../src/sandbox/klaviyo/errors.ts';
import { parseFilter } from '../../../src/sandbox/klaviyo/filter.ts';

describe('parseFilter', () => {
  it('reads equals and any with either quote, joined by and(...) or top-level commas', () => {
    expect(parseFilter(`and(equals(email,'a@x.com'),any(external_id,["1", "2"]))`, ['email', 'external_id'])).toEqual([
      { operator: 'equals', field: 'email', values: ['a@x.com'] },
      { operator: 'any', field: 'external_id', values: ['1', '2'] },
    ]);
    expect(parseFilter('equals(name,"tiersync: VIP"), equals(id,"Y6nRLr")', ['name', 'id'])).toEqual([
      { operator: 'equals', field: 'name', values: ['tiersync: VIP'] },
      { operator: 'equals', field: 'id', values: ['Y6nRLr'] },
    ]);
    expect(parseFilter('equals(name,"say \\"hi\\"")', ['name'])[0]?.values).toEqual(['say "hi"']);
  });

  it('throws Klaviyo 400s for unsupported operators, fields, shapes and trailing text', () => {
    const status = (text: string): number => {
      try {
        parseFilter(text, ['email']);
        return 0;
      } catch (error) {
        return error instanceof KlaviyoApiError ? error.status : -1;
      }
    };
    expect(status('greater-than(email,"a")')).toBe(400);
    expect(status('equals(phone_number,"1")')).toBe(400);
    expect(status('equals(email,["a"])')).toBe(400);
    expect(status('any(email,"a")')).toBe(400);
    expect(status('equals(email,"a") x')).toBe(400);
    expect(status('equals(email,"a')).toBe(400);
  });
});
