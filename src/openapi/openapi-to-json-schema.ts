/**
 * Converts an OpenAPI 3.0 schema object into a JSON Schema (draft-07) that ajv can compile.
 *
 * OpenAPI 3.0 differs from JSON Schema where Klaviyo's operation files use it:
 * - `nullable: true` instead of a `null` type (OpenAPI 3.0.3 §4.7.24.1);
 * - a `$ref` with siblings, where the siblings must be ignored (§4.7.24, "Reference Object");
 * - annotation keywords (`example`, `x-*`, `discriminator`, `xml`, `externalDocs`) unknown to ajv.
 * Local references `#/components/schemas/X` are rewritten to `<documentId>#/definitions/X`, so that a
 * schema taken out of its document still resolves against the document registered under that id.
 */

import { InternalError } from '../errors.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ANNOTATIONS_TO_DROP = new Set(['example', 'examples', 'discriminator', 'xml', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
const COMPONENT_REF_PREFIX = '#/components/schemas/';

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts one OpenAPI schema object (and everything under it).
 *
 * @example
 * openApiSchemaToJsonSchema({ type: 'string', nullable: true, example: 'x' }, 'urn:doc');
 * // { type: ['string', 'null'] }
 * openApiSchemaToJsonSchema({ $ref: '#/components/schemas/A', nullable: true }, 'urn:doc');
 * // { anyOf: [{ $ref: 'urn:doc#/definitions/A' }, { type: 'null' }] }
 */
export function openApiSchemaToJsonSchema(schema: Json, documentId: string): Json {
  if (!isObject(schema)) return schema;
  const nullable = schema.nullable === true;

  if (typeof schema.$ref === 'string') {
    const ref: JsonObject = { $ref: rewriteRef(schema.$ref, documentId) };
    return nullable ? { anyOf: [ref, { type: 'null' }] } : ref;
  }

  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key.startsWith('x-') || ANNOTATIONS_TO_DROP.has(key)) continue;
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      converted[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, openApiSchemaToJsonSchema(sub, documentId)]),
      );
    } else if (SCHEMA_KEYWORDS.has(key) && isObject(value)) {
      converted[key] = openApiSchemaToJsonSchema(value, documentId);
    } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
      converted[key] = value.map((sub) => openApiSchemaToJsonSchema(sub, documentId));
    } else {
      converted[key] = value;
    }
  }
  if (!nullable) return converted;
  if (typeof converted.type === 'string') {
    converted.type = [converted.type, 'null'];
    if (Array.isArray(converted.enum)) converted.enum = [...converted.enum, null];
    return converted;
  }
  return { anyOf: [converted, { type: 'null' }] };
}

/**
 * Converts a whole OpenAPI document's `components.schemas` into a JSON Schema document with
 * `$id: documentId` and the schemas under `definitions`, ready for `ajv.addSchema`.
 *
 * @example
 * componentsToJsonSchemaDocument({ components: { schemas: { A: { type: 'string' } } } }, 'urn:doc');
 * // { $id: 'urn:doc', definitions: { A: { type: 'string' } } }
 */
export function componentsToJsonSchemaDocument(document: JsonObject, documentId: string): JsonObject {
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const definitions: JsonObject = {};
  for (const [name, schema] of Object.entries(schemas)) definitions[name] = openApiSchemaToJsonSchema(schema, documentId);
  return { $id: documentId, definitions };
}

function rewriteRef(ref: string, documentId: string): string {
  if (ref.startsWith(COMPONENT_REF_PREFIX)) return `${documentId}#/definitions/${ref.slice(COMPONENT_REF_PREFIX.length)}`;
  throw new InternalError(`OpenAPI schema: unsupported $ref "${ref}" in ${documentId} (only ${COMPONENT_REF_PREFIX}* is handled)`);
}

export type { Json, JsonObject };
