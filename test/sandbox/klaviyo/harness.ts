import { expect } from 'vitest';
import { validateKlaviyoRequest, validateKlaviyoResponse } from '../../../src/openapi/klaviyo-validator.ts';
import { createKlaviyoSandbox, type KlaviyoSandbox, type KlaviyoSandboxOptions } from '../../../src/sandbox/klaviyo/server.ts';

export const API_KEY = 'pk_sandbox_test_key';
export const REVISION = '2026-07-15';
/** The injected clock's start; the emulator measures its fixed windows (1 s, 1 min, 1 day, scaled or not) from its creation, so every window starts here. */
export const DAY_ALIGNED_START = 20_000 * 86_400_000;

export interface CallOptions {
  body?: unknown;
  /** Raw text sent instead of `body` (for malformed or oversized bodies; not schema-checked). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Drop the default auth / revision headers. */
  omit?: ('authorization' | 'revision')[];
  /** The test sends a body that breaks the OpenAPI schema on purpose. */
  invalidBody?: boolean;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // JSON:API documents: tests read them by path and assert on what they find.
  json: any;
}

export interface Harness {
  sandbox: KlaviyoSandbox;
  base: string;
  clock: { now: number };
  /** Calls the emulator and checks both bodies against the operation's OpenAPI schemas. */
  call(operationId: string, method: string, path: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

/**
 * Starts an emulator on 127.0.0.1 port 0 with an injected clock. Every request body a test sends
 * (unless flagged invalid) and every response body the emulator returns is validated against the
 * Klaviyo OpenAPI operation, and the test fails on any schema error. `stepMs` moves the clock
 * forward before each call (1,000 keeps every call in a fresh burst window for tests that are not
 * about rate limits).
 */
export async function startHarness(options: Partial<KlaviyoSandboxOptions> = {}, harnessOptions: { stepMs?: number } = {}): Promise<Harness> {
  const clock = { now: DAY_ALIGNED_START };
  const sandbox = createKlaviyoSandbox({ apiKey: API_KEY, seed: 7, now: () => clock.now, ...options });
  const base = await sandbox.listen(0);
  return {
    sandbox,
    base,
    clock,
    async call(operationId, method, path, callOptions = {}) {
      clock.now += harnessOptions.stepMs ?? 0;
      if (callOptions.body !== undefined && callOptions.invalidBody !== true) {
        expect(validateKlaviyoRequest(operationId, callOptions.body), `request body of ${operationId}`).toEqual([]);
      }
      const headers: Record<string, string> = {
        Authorization: `Klaviyo-API-Key ${API_KEY}`,
        revision: REVISION,
        Accept: 'application/vnd.api+json',
        ...(callOptions.body !== undefined || callOptions.rawBody !== undefined ? { 'Content-Type': 'application/vnd.api+json' } : {}),
        ...callOptions.headers,
      };
      if (callOptions.omit?.includes('authorization')) delete headers.Authorization;
      if (callOptions.omit?.includes('revision')) delete headers.revision;
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: callOptions.rawBody ?? (callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body)),
      });
      const text = await response.text();
      const json = text === '' ? undefined : JSON.parse(text);
      expect(validateKlaviyoResponse(operationId, response.status, json), `response ${response.status} of ${operationId}`).toEqual([]);
      return { status: response.status, headers: response.headers, json };
    },
    close: () => sandbox.close(),
  };
}

/** A JSON:API profile resource for request bodies. */
export function profileData(attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { type: 'profile', attributes, ...extra };
}

/** Creates `count` lists named `prefix N` and returns their ids. */
export async function createLists(harness: Harness, names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const created = await harness.call('create_list', 'POST', '/api/lists', { body: { data: { type: 'list', attributes: { name } } } });
    expect(created.status).toBe(201);
    ids.push(created.json.data.id);
  }
  return ids;
}
