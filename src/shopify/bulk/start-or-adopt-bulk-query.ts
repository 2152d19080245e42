import type { ShopifyClient } from '../client.ts';
import { OutcomeUnknownError } from '../client.ts';
import { findRunningBulkQuery } from './find-running-bulk-query.ts';
import { BulkQueryBusyError, startBulkQuery } from './start-bulk-query.ts';

/** Starts tried while the app's bulk query slots are taken by others, waiting longer each time. */
const MAX_START_ATTEMPTS = 5;
const BUSY_WAIT_MS = 5_000;

/**
 * Starts a bulk query, or adopts the running one with the same document: one an earlier run left
 * going, or this start itself when its answer was lost (the start is never resent blindly, since
 * a second one would run the export twice or, where one query runs at a time, be refused as
 * OPERATION_IN_PROGRESS). While others hold every slot (LIMIT_REACHED), it waits and tries again.
 *
 * @example
 * const id = await startOrAdoptBulkQuery(client, ordersBulkQuery(), 'orders bulk query');
 */
export async function startOrAdoptBulkQuery(client: ShopifyClient, query: string, operation: string): Promise<string> {
  const running = await findRunningBulkQuery(client, query, operation);
  if (running) return running;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBulkQuery(client, query, operation);
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError) && !(error instanceof BulkQueryBusyError)) throw error;
      const adopted = await findRunningBulkQuery(client, query, operation);
      if (adopted) return adopted;
      if (attempt >= MAX_START_ATTEMPTS) throw error;
      if (error instanceof BulkQueryBusyError) await client.sleep(BUSY_WAIT_MS * attempt);
    }
  }
}
