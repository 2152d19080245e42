import { ApiError, RetriableError, ThrottledError, UserError } from '../errors.ts';
import { retryDelayMs } from '../http/retry.ts';
import type { KlaviyoTransport } from './transport.ts';
import { listResponse, listsResponse } from './responses.ts';

export interface KlaviyoList {
  readonly id: string;
  readonly name: string;
  readonly created: boolean;
}

/**
 * The id of the list called `name`, created when missing (docs/DESIGN.md "Outputs"). Creating is not
 * idempotent and list creation is capped at 150 a day, so a create that failed without a clear
 * answer (5xx, reset, 429) is never blindly repeated: the whole find-then-create is retried, and
 * a list the lost answer did create is found by name on the next attempt. Several lists with the
 * same name: the lowest id wins (deterministic). Backoff: src/http/retry.ts's `retryDelayMs`.
 * A 429 asking to wait longer than the steady (1-minute) window means the daily window is spent
 * (create_list: 10/s, 150/m, 150/d, developers.klaviyo.com/en/reference/create_list): that fails
 * at once with a message saying so, instead of holding the sync for hours; the next sync tries again.
 *
 * @example
 * await findOrCreateList(transport, retry, 'tiersync: VIP'); // { id: 'XyZ123', name: 'tiersync: VIP', created: false }
 */
export async function findOrCreateList(
  transport: KlaviyoTransport,
  retry: { readonly random: () => number; readonly sleep: (ms: number) => Promise<void>; readonly timeScale?: number },
  name: string,
): Promise<KlaviyoList> {
  if (name.trim() === '' || /["\\]/.test(name)) {
    // List names come from the config's klaviyo lists.
    throw new UserError(`Klaviyo list name ${JSON.stringify(name)} must be non-empty and contain no " or \\ (Klaviyo's filter syntax cannot match it): rename it in the config`);
  }
  const scale = retry.timeScale ?? 1;
  const maxCreateAttempts = 6;
  const longestThrottleWaitMs = 120_000 / scale;
  for (let attempt = 1; ; attempt++) {
    const existing = await findList(transport, name);
    if (existing !== null) return { id: existing, name, created: false };
    try {
      const created = await transport.send(
        { endpoint: 'create_list', operation: 'POST /api/lists', schema: listResponse, retry: false },
        () => transport.lists.createList({ data: { type: 'list', attributes: { name } } }),
      );
      return { id: created.data.id, name, created: true };
    } catch (error) {
      if (error instanceof ThrottledError && error.retryAfterMs > longestThrottleWaitMs) {
        throw new ApiError(
          `HTTP 429: Klaviyo refuses list creation for another ${Math.ceil((error.retryAfterMs * scale) / 1000)} s (create_list allows 150 a day per account): list "${name}" not created, so nobody was added to it this run; the next sync tries again`,
          { service: 'klaviyo', operation: 'POST /api/lists', status: 429, cause: error },
        );
      }
      if (!(error instanceof RetriableError) || attempt >= maxCreateAttempts) throw error;
      await retry.sleep(retryDelayMs(error, attempt, { baseDelayMs: 500 / scale, maxDelayMs: 30_000 / scale, random: retry.random }));
    }
  }
}

/**
 * The id of the list called `name`, or null: what a dry run uses, since it must create nothing.
 *
 * @example
 * await findList(transport, 'tiersync: VIP'); // 'XyZ123' or null
 */
export async function findList(transport: KlaviyoTransport, name: string): Promise<string | null> {
  // get_lists: `name` supports `equals`; pages hold at most 10 lists.
  const page = await transport.send(
    { endpoint: 'get_lists', operation: 'GET /api/lists', schema: listsResponse },
    () => transport.lists.getLists({ filter: `equals(name,"${name}")` }),
  );
  const ids = page.data.filter((list) => list.attributes.name === name).map((list) => list.id);
  return ids.length === 0 ? null : (ids.sort()[0] as string);
}
