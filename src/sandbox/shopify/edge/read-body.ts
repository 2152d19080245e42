/** Request bodies with a size limit, and the GraphQL request body forms the Admin API accepts. */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { requestTooLarge } from './shopify-http-errors.ts';

/** Reads the whole body; over `limit` bytes it rejects with the 413 answer. @example await readBody(request, 5 * 1024 * 1024); */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(requestTooLarge());
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const graphqlBodySchema = z.object({
  query: z.string().trim().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
}

/**
 * Accepts `application/json` ({ query, variables, operationName }) and `application/graphql` (the bare document).
 *
 * @example
 * parseGraphQLBody(Buffer.from('{"query":"{ shop { name } }"}'), 'application/json'); // { query: '{ shop { name } }', variables: {}, operationName: undefined }
 */
export function parseGraphQLBody(body: Buffer, contentType: string | undefined): GraphQLRequest | null {
  const text = body.toString('utf8');
  if (contentType?.startsWith('application/graphql')) return text.trim() ? { query: text, variables: {}, operationName: undefined } : null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = graphqlBodySchema.safeParse(json);
  if (!parsed.success) return null;
  return { query: parsed.data.query, variables: parsed.data.variables ?? {}, operationName: parsed.data.operationName || undefined };
}
