import { describe, expect, it } from 'vitest';
import { componentsToJsonSchemaDocument, openApiSchemaToJsonSchema } from '../../src/openapi/openapi-to-json-schema.ts';

describe('openApiSchemaToJsonSchema', () => {
  it('turns nullable into a null type, adding null to an enum', () => {
    expect(openApiSchemaToJsonSchema({ type: 'string', enum: ['a'], nullable: true, example: 'a' }, 'urn:d')).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
  });

  it('drops the siblings of a $ref and wraps a nullable $ref or oneOf in anyOf with null', () => {
    expect(openApiSchemaToJsonSchema({ $ref: '#/components/schemas/A', description: 'ignored' }, 'urn:d')).toEqual({ $ref: 'urn:d#/definitions/A' });
    expect(openApiSchemaToJsonSchema({ $ref: '#/components/schemas/A', nullable: true }, 'urn:d')).toEqual({
      anyOf: [{ $ref: 'urn:d#/definitions/A' }, { type: 'null' }],
    });
    expect(openApiSchemaToJsonSchema({ nullable: true, oneOf: [{ type: 'string' }] }, 'urn:d')).toEqual({
      anyOf: [{ oneOf: [{ type: 'string' }] }, { type: 'null' }],
    });
  });

  it('converts nested properties, items and allOf, and strips x- annotations', () => {
    const converted = openApiSchemaToJsonSchema(
      {
        type: 'object',
        'x-klaviyo': true,
        properties: { list: { type: 'array', items: { type: 'integer', nullable: true } } },
        allOf: [{ properties: { a: { $ref: '#/components/schemas/B' } } }],
      },
      'urn:d',
    );
    expect(converted).toEqual({
      type: 'object',
      properties: { list: { type: 'array', items: { type: ['integer', 'null'] } } },
      allOf: [{ properties: { a: { $ref: 'urn:d#/definitions/B' } } }],
    });
  });

  it('refuses a reference outside components/schemas', () => {
    expect(() => openApiSchemaToJsonSchema({ $ref: 'other.json#/X' }, 'urn:d')).toThrow(/unsupported \$ref "other.json#\/X"/);
  });
});

describe('componentsToJsonSchemaDocument', () => {
  it('puts the converted component schemas under definitions with the document id', () => {
    expect(componentsToJsonSchemaDocument({ components: { schemas: { A: { type: 'string', nullable: true } } } }, 'urn:d')).toEqual({
      $id: 'urn:d',
      definitions: { A: { type: ['string', 'null'] } },
    });
  });
});
