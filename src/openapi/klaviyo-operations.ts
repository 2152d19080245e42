import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InternalError } from '../errors.ts';
import type { Json, JsonObject } from './openapi-to-json-schema.ts';

/** The folder holding Klaviyo's OpenAPI operation files (one operation a file), copied into the repo. */
export const KLAVIYO_SCHEMA_DIR = fileURLToPath(new URL('../../schemas/klaviyo/', import.meta.url));

/** A rate limit as Klaviyo publishes it in `x-klaviyo-ratelimit`, e.g. `{ burst: '10/s', steady: '150/m' }`. */
export interface PublishedRateLimit {
  burstPerSecond: number;
  steadyPerMinute: number;
  dailyLimit: number | null;
}

export interface KlaviyoOperation {
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path template as in the spec, e.g. `/api/lists/{id}/relationships/profiles`. */
  path: string;
  file: string;
  /** Converted-later OpenAPI schema of the JSON:API request body, or null when the operation takes none. */
  requestSchema: Json | null;
  /** Response schemas by status key as written in the spec (`200`, `201`, `4XX`, ...); null = no body. */
  responseSchemas: Map<string, Json | null>;
  rateLimit: PublishedRateLimit;
  /** The API key scopes the operation needs, from its description's "**Scopes:**" line, e.g. `['lists:read', 'profiles:read']`. */
  scopes: string[];
  /** `page[size]` default and maximum when the operation pages its results, else null. */
  pageSize: { defaultSize: number; maxSize: number } | null;
  /** The document the schemas come from (its `components` resolve their `$ref`s). */
  document: JsonObject;
}

const mediaSchema = z.object({ schema: z.unknown() }).loose();
const responseObject = z.object({ content: z.record(z.string(), mediaSchema).optional() }).loose();
const pageSizeParameter = z.object({
  name: z.literal('page[size]'),
  schema: z.object({ default: z.number().int(), maximum: z.number().int() }).loose(),
});
const operationObject = z
  .object({
    operationId: z.string(),
    parameters: z.array(z.object({ name: z.string() }).loose()).default([]),
    requestBody: z.object({ content: z.record(z.string(), mediaSchema) }).loose().optional(),
    responses: z.record(z.string(), z.union([z.object({ $ref: z.string() }), responseObject])),
    'x-klaviyo-ratelimit': z.object({ burst: z.string(), steady: z.string(), daily: z.string().optional() }),
  })
  .loose();
const documentSchema = z
  .object({
    info: z.object({ version: z.string() }).loose(),
    paths: z.record(z.string(), z.record(z.string(), operationObject)),
    components: z.object({ responses: z.record(z.string(), responseObject).optional() }).loose().optional(),
  })
  .loose();

const JSON_API = 'application/vnd.api+json';
const METHODS = new Set(['GET', 'POST', 'PATCH', 'DELETE']);

/**
 * Reads every `*.json` operation file in `dir` and indexes its operations by operationId.
 * Throws naming the file when one does not have the expected OpenAPI shape.
 *
 * @example
 * const operations = loadKlaviyoOperations();
 * operations.get('add_profiles_to_list')?.rateLimit; // { burstPerSecond: 10, steadyPerMinute: 150, dailyLimit: null }
 */
export function loadKlaviyoOperations(dir: string = KLAVIYO_SCHEMA_DIR): Map<string, KlaviyoOperation> {
  const operations = new Map<string, KlaviyoOperation>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonObject;
    const parsed = documentSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InternalError(`Klaviyo OpenAPI file ${file} is not an operation document: ${parsed.error.message}`, { cause: parsed.error });
    }
    const sharedResponses = parsed.data.components?.responses ?? {};
    for (const [path, methods] of Object.entries(parsed.data.paths)) {
      for (const [methodKey, operation] of Object.entries(methods)) {
        const method = methodKey.toUpperCase();
        if (!METHODS.has(method)) continue;
        const responseSchemas = new Map<string, Json | null>();
        for (const [status, response] of Object.entries(operation.responses)) {
          const resolved = '$ref' in response && typeof response.$ref === 'string'
            ? sharedResponses[response.$ref.replace('#/components/responses/', '')]
            : (response as z.infer<typeof responseObject>);
          if (resolved === undefined) throw new InternalError(`Klaviyo OpenAPI file ${file}: unresolved response for ${status}`);
          const media = resolved.content?.[JSON_API];
          responseSchemas.set(status, media === undefined ? null : (media.schema as Json));
        }
        const requestMedia = operation.requestBody?.content[JSON_API];
        const pageSize = operation.parameters.map((parameter) => pageSizeParameter.safeParse(parameter)).find((result) => result.success);
        operations.set(operation.operationId, {
          operationId: operation.operationId,
          method: method as KlaviyoOperation['method'],
          path,
          file,
          requestSchema: requestMedia === undefined ? null : (requestMedia.schema as Json),
          responseSchemas,
          rateLimit: parseRateLimit(operation['x-klaviyo-ratelimit'], file),
          scopes: parseScopes(typeof operation.description === 'string' ? operation.description : ''),
          pageSize: pageSize?.data ? { defaultSize: pageSize.data.schema.default, maxSize: pageSize.data.schema.maximum } : null,
          document: raw,
        });
      }
    }
  }
  return operations;
}

/** "**Scopes:**\n`lists:read`\n`profiles:read`" → ['lists:read', 'profiles:read']. */
function parseScopes(description: string): string[] {
  const line = /\*\*Scopes:\*\*\s*((?:`[^`]+`\s*)+)/.exec(description)?.[1] ?? '';
  return [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}

function parseRateLimit(limit: { burst: string; steady: string; daily?: string | undefined }, file: string): PublishedRateLimit {
  const read = (text: string, unit: string): number => {
    const match = /^(\d+)\/(\w)$/.exec(text);
    if (!match || match[2] !== unit) throw new InternalError(`Klaviyo OpenAPI file ${file}: rate limit "${text}" is not N/${unit}`);
    return Number(match[1]);
  };
  return {
    burstPerSecond: read(limit.burst, 's'),
    steadyPerMinute: read(limit.steady, 'm'),
    dailyLimit: limit.daily === undefined ? null : read(limit.daily, 'd'),
  };
}
