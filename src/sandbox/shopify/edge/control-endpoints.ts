/** The sandbox's own endpoints under `/__sandbox/`: never authenticated, never faulted. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../http-errors.ts';

export interface ControlTarget {
  stats(): unknown;
  state(): unknown;
  reset(): void;
}

/** @example handleControl(request, response, '/__sandbox/stats', sandbox); */
export function handleControl(request: IncomingMessage, response: ServerResponse, path: string, target: ControlTarget): void {
  const json = (status: number, body: unknown) => sendJson(response, status, body, {}, 'application/json; charset=utf-8');
  if (path === '/__sandbox/stats' && request.method === 'GET') return json(200, target.stats());
  if (path === '/__sandbox/state' && request.method === 'GET') return json(200, target.state());
  if (path === '/__sandbox/reset' && request.method === 'POST') {
    target.reset();
    return json(200, { reset: true });
  }
  json(404, { errors: `unknown sandbox endpoint ${request.method ?? 'GET'} ${path}; try GET /__sandbox/stats, GET /__sandbox/state, POST /__sandbox/reset` });
}
