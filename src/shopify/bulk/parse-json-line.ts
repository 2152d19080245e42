import { ResponseShapeError } from '../../errors.ts';

/**
 * Parses one line of a bulk-operation JSONL file, or throws a ResponseShapeError naming the
 * operation and the line.
 *
 * @example
 * parseJsonLine('{"id":"gid://shopify/Order/1"}', 'orders bulk query', 'line 1')
 */
export function parseJsonLine(text: string, operation: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ResponseShapeError(`${where} of the result file is not JSON`, { service: 'shopify', operation, cause: error });
  }
}
