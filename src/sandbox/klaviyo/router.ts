import type { KlaviyoOperation } from '../../openapi/klaviyo-operations.ts';

export type RouteMatch =
  | { kind: 'found'; operation: KlaviyoOperation; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * Routes by the path templates of the OpenAPI operation files (`/api/lists/{id}/profiles`),
 * accepting the trailing slash Klaviyo's own links carry.
 *
 * @example
 * const route = createRouter(loadKlaviyoOperations().values());
 * route('GET', '/api/lists/Y6nRLr/'); // { kind: 'found', operation: <get_list>, params: { id: 'Y6nRLr' } }
 */
export function createRouter(operations: Iterable<KlaviyoOperation>): (method: string, path: string) => RouteMatch {
  const routes = [...operations].map((operation) => {
    const names: string[] = [];
    const pattern = operation.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { operation, names, regex: new RegExp(`^${pattern}/?$`) };
  });
  return (method, path) => {
    const allowed: string[] = [];
    for (const route of routes) {
      const match = route.regex.exec(path);
      if (!match) continue;
      if (route.operation.method !== method) {
        allowed.push(route.operation.method);
        continue;
      }
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1] as string)]));
      return { kind: 'found', operation: route.operation, params };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed: allowed.sort() } : { kind: 'not-found' };
  };
}
