import nock from 'nock';
import { GRAPHQL_PATH, ORIGIN } from './test-client.ts';

export interface RecordedRequest {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/**
 * Answers the test shop's GraphQL endpoint with `route` (through nock, so the client's real
 * fetch path runs) and records every request, for checking against the Admin schema.
 */
export function fakeAdmin(route: (request: RecordedRequest) => unknown) {
  const requests: RecordedRequest[] = [];
  nock(ORIGIN)
    .persist()
    .post(GRAPHQL_PATH)
    .reply((_uri, body) => {
      const request = body as RecordedRequest;
      requests.push({ query: request.query, variables: request.variables ?? {} });
      // Before a bulk start tiersync looks for one already running the same query: none here.
      if (request.query.includes('query RunningBulkQueries')) return [200, { data: { bulkOperations: { nodes: [] } } }];
      return [200, route(request) as nock.Body];
    });
  return { requests };
}

/** A JSONL file served at `https://storage.example.com{path}`. */
export function serveFile(path: string, lines: readonly unknown[]) {
  nock('https://storage.example.com')
    .get(path)
    .reply(200, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return `https://storage.example.com${path}`;
}
