/** The sandbox's own endpoints under `/__sandbox/`: never authenticated, never faulted. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../http-errors.ts';
import { simulateRequestSchema } from '../simulate-orders.ts';
import { readBody } from './read-body.ts';

const MAX_CONTROL_BODY_BYTES = 4096;

export interface ControlTarget {
  stats(): unknown;
  state(): unknown;
  reset(): void;
  /** Adds `orders` new orders processed now (simulate-orders.ts). */
  simulate(orders: number): unknown;
}

/** @example await handleControl(request, response, '/__sandbox/stats', sandbox); */
export async function handleControl(request: IncomingMessage, response: ServerResponse, path: string, target: ControlTarget): Promise<void> {
  const json = (status: number, body: unknown) => sendJson(response, status, body, {}, 'application/json; charset=utf-8');
  if (path === '/__sandbox/stats' && request.method === 'GET') return json(200, target.stats());
  if (path === '/__sandbox/state' && request.method === 'GET') return json(200, target.state());
  if (path === '/__sandbox/reset' && request.method === 'POST') {
    target.reset();
    return json(200, { reset: true });
  }
  if (path === '/__sandbox/simulate' && request.method === 'POST') {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request, MAX_CONTROL_BODY_BYTES)).toString('utf8'));
    } catch {
      return json(400, { errors: 'the body must be JSON like {"orders": 100} (at most 4 KB)' });
    }
    const parsed = simulateRequestSchema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
      return json(400, { errors: `invalid simulate request (${problems}); send {"orders": N}` });
    }
    try {
      return json(200, target.simulate(parsed.data.orders));
    } catch (error) {
      return json(409, { errors: `cannot simulate: ${(error as Error).message}` });
    }
  }
  json(404, {
    errors: `unknown sandbox endpoint ${request.method ?? 'GET'} ${path}; try GET /__sandbox/stats, GET /__sandbox/state, POST /__sandbox/reset, POST /__sandbox/simulate`,
  });
}
