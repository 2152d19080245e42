/**
 * Starts the sandbox (Shopify + Klaviyo emulators) on loopback port 0 for a test file and
 * closes it afterwards, plus a GraphQL client that refuses to send a document the real Admin
 * schema does not validate (so tests cannot drift from the real API).
 */
import { afterAll, beforeAll } from 'vitest';
import { parse, validate } from 'graphql';
import { adminSchema, ADMIN_API_VERSION } from '../../src/sandbox/shopify/admin-schema.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import type { RunningSandbox, StartSandboxOptions } from '../../src/sandbox/start-sandbox.ts';

/** A fixed history end so that every run builds the same shop. */
export const TEST_AS_OF = new Date('2026-11-01T00:00:00.000Z');

/**
 * Starts a small, fast sandbox (200 customers, bulk jobs and bucket 1,000× faster by default).
 *
 * @example
 * const sandbox = await startTestSandbox({ customers: 50 });
 * await sandbox.close();
 */
export function startTestSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ customers: 200, seed: 1, timeScale: 1000, asOf: TEST_AS_OF, ...options });
}

/**
 * Registers beforeAll/afterAll for one sandbox shared by the tests of a file.
 *
 * @example
 * const sandbox = useSandbox();
 * it('…', async () => { await shopifyGraphQL(sandbox(), '{ shop { name } }'); });
 */
export function useSandbox(options: StartSandboxOptions = {}): () => RunningSandbox {
  let running: RunningSandbox | undefined;
  beforeAll(async () => {
    running = await startTestSandbox(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  return () => {
    if (!running) throw new Error('the sandbox is not started yet (use it inside a test)');
    return running;
  };
}

export interface GraphQLAnswer {
  status: number;
  headers: Headers;
  // Tests read whatever shape the answer has; each test asserts on it.
  body: any;
}

/**
 * Throws unless the document is valid against the Admin 2026-07 schema.
 *
 * @example
 * assertValidAdminDocument('{ shop { name } }');
 */
export function assertValidAdminDocument(query: string): void {
  const errors = validate(adminSchema(), parse(query));
  if (errors.length > 0) throw new Error(`test document is not valid against the Admin schema: ${errors.map((e) => e.message).join('; ')}\n${query}`);
}

/**
 * Sends a document to the sandbox's Admin GraphQL endpoint. The document is validated against the
 * real schema first unless `unchecked` (for tests of the sandbox's own error answers).
 */
export async function shopifyGraphQL(
  sandbox: RunningSandbox | string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; version?: string; unchecked?: boolean } = {},
): Promise<GraphQLAnswer> {
  if (!options.unchecked) assertValidAdminDocument(query);
  const base = typeof sandbox === 'string' ? sandbox : sandbox.shopifyUrl;
  const token = options.token ?? (typeof sandbox === 'string' ? '' : sandbox.env.SHOPIFY_ADMIN_TOKEN);
  const response = await fetch(`${base}/admin/api/${options.version ?? ADMIN_API_VERSION}/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
