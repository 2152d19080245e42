import type { ShopifyClient } from '../client.ts';
import { completeBulkOperation } from '../bulk/complete-bulk-operation.ts';
import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import { parseJsonLine } from '../bulk/parse-json-line.ts';
import { startOrAdoptBulkQuery } from '../bulk/start-or-adopt-bulk-query.ts';
import { customerFields, customerFromNode, customerNodeSchema, type ShopifyCustomer } from '../customer-node.ts';
import { parseShape } from '../graphql-envelope.ts';

const OPERATION = 'customers bulk query';

/**
 * No nested connection, so every JSONL line is one whole customer and can be handed on at once.
 *
 * @example customersBulkQuery('tiersync'); // '{ customers { edges { node { id … } } } }'
 */
export function customersBulkQuery(metafieldNamespace: string): string {
  return `{
  customers {
    edges {
      node {
        ${customerFields(metafieldNamespace)}
      }
    }
  }
}`;
}

export interface RunCustomersBulkQueryDeps {
  readonly client: ShopifyClient;
  readonly poll?: PollOptions;
  /** tiersync's metafield namespace (config `shopify.metafield_namespace`); default `tiersync`. */
  readonly metafieldNamespace?: string;
}

export interface RunCustomersBulkQueryInput {
  readonly resumeOperationId?: string;
  readonly onOperationId?: (id: string) => void | Promise<void>;
  readonly onCustomer: (customer: ShopifyCustomer) => void | Promise<void>;
}

/**
 * Reads every customer (tags, statistics, tiersync's metafields) through a bulk query: for large stores, where pages
 * of 250 would take many minutes of cost budget.
 *
 * @example
 * const read = runCustomersBulkQuery({ client });
 * await read({ onCustomer: (c) => observed.set(c.id, c.tags) });
 */
export function runCustomersBulkQuery(deps: RunCustomersBulkQueryDeps) {
  return async function readAllCustomersInBulk(input: RunCustomersBulkQueryInput): Promise<{ operationId: string; customers: number }> {
    const done = await completeBulkOperation(deps.client, {
      operation: OPERATION,
      start: () => startOrAdoptBulkQuery(deps.client, customersBulkQuery(deps.metafieldNamespace ?? 'tiersync'), OPERATION),
      ...(input.resumeOperationId !== undefined ? { resumeOperationId: input.resumeOperationId } : {}),
      ...(input.onOperationId ? { onOperationId: input.onOperationId } : {}),
      ...(deps.poll ? { poll: deps.poll } : {}),
    });
    let customers = 0;
    if (done.url) {
      for await (const text of deps.client.files.lines(done.url, `${OPERATION} result`)) {
        const where = `line ${customers + 1}`;
        const node = parseShape(customerNodeSchema, parseJsonLine(text, OPERATION, where), OPERATION, where);
        await input.onCustomer(customerFromNode(node));
        customers++;
      }
    }
    return { operationId: done.id, customers };
  };
}
