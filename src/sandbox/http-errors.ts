/**
 * One error style for both emulators: a stage that must answer with an HTTP error throws a
 * `SandboxHttpError` carrying the status, the body in the emulated API's own format and any
 * headers; the HTTP edge catches it and answers with `sendJson`. Each emulator builds its bodies
 * (Shopify's `{"errors": …}`, Klaviyo's JSON:API error objects) in its own `errors.ts`; anything
 * else that escapes a handler is the emulator's own failure and answered as a 500 by the edge.
 */
import type { ServerResponse } from 'node:http';

/**
 * @example
 * throw new SandboxHttpError(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
 */
export class SandboxHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}, message = `HTTP ${status}`) {
    super(message);
    this.name = 'SandboxHttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/**
 * Answers with a JSON body (or none when `body` is undefined) and the given headers.
 *
 * @example
 * sendJson(response, 200, { reset: true }, {}, 'application/json');
 */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>>, contentType: string): void {
  if (body === undefined) {
    response.writeHead(status, { ...headers });
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)) });
  response.end(text);
}

/**
 * Answers a thrown `SandboxHttpError` as it is; anything else as `fallback(error)`, the emulator's
 * own 500. Does nothing when the answer already started or the socket was destroyed (a fault).
 * Returns the status answered, for the request counters.
 *
 * @example
 * const status = answerError(response, error, contentType, (e) => new SandboxHttpError(500, { errors: `sandbox failure: ${e.message}` }));
 */
export function answerError(response: ServerResponse, error: unknown, contentType: string, fallback: (error: Error) => SandboxHttpError): number {
  const answer = error instanceof SandboxHttpError ? error : fallback(error instanceof Error ? error : new Error(String(error)));
  if (response.headersSent || response.destroyed) {
    if (response.headersSent) response.destroy();
    return answer.status;
  }
  sendJson(response, answer.status, answer.body, answer.headers, contentType);
  return answer.status;
}
