/**
 * How many parents wait for their children in a bulk JSONL. Shopify lists a child after its
 * parent but "not necessarily directly after" when `groupObjects` is false (the default, and
 * faster); in practice children follow closely, and a bounded window keeps memory flat on a
 * 1,500,000-order export instead of holding the whole file.
 * https://shopify.dev/docs/api/usage/bulk-operations/queries (JSONL format), shopify-api-ruby#729
 */
export const PARENT_WINDOW = 50_000;

export interface ParentEntry<P, C> {
  readonly parent: P;
  readonly children: C[];
}

/**
 * Joins the children of a bulk operation's JSONL (lines with `__parentId`) to their parents
 * while streaming: parents wait in a window of `limit`; adding one more evicts the oldest,
 * which the caller passes on. A child whose parent is not in the window (never seen, or
 * evicted long ago) is refused, for the caller to report.
 *
 * @example
 * const window = new ParentWindow<Order, Line>(PARENT_WINDOW);
 * const evicted = window.add(order.id, order); if (evicted) emit(evicted);
 * window.attach(line.__parentId, line);
 * for (const entry of window.drain()) emit(entry);
 */
export class ParentWindow<P, C> {
  private readonly pending = new Map<string, ParentEntry<P, C>>();

  constructor(private readonly limit: number = PARENT_WINDOW) {}

  /** Adds a parent; returns the oldest one when the window overflows. */
  add(id: string, parent: P): ParentEntry<P, C> | undefined {
    this.pending.set(id, { parent, children: [] });
    if (this.pending.size <= this.limit) return undefined;
    const [oldestId, oldest] = this.pending.entries().next().value!;
    this.pending.delete(oldestId);
    return oldest;
  }

  /** Attaches a child to its waiting parent; false when the parent is not waiting. */
  attach(parentId: string, child: C): boolean {
    const entry = this.pending.get(parentId);
    if (!entry) return false;
    entry.children.push(child);
    return true;
  }

  /** Every parent still waiting, oldest first, emptying the window. */
  *drain(): Generator<ParentEntry<P, C>> {
    for (const entry of this.pending.values()) yield entry;
    this.pending.clear();
  }
}
