/**
 * Line items of an ungrouped bulk export that could not join their order in memory (they came
 * before it, or after it left the join window), kept until their order is handed on or the file
 * ends, so that memory stays bounded and no line item is lost.
 *
 * Most of them wait only a moment (their order is a few lines further on the same page), so
 * the first {@link MEMORY_LINES} wait in memory; beyond that the longest-waiting move to the
 * store in one transaction. A line item written to disk on its own cost a commit (two pages of
 * WAL, and their checkpoint) for 30 bytes: 800 MB written for a 20,000-customer pull.
 */
import type Database from 'better-sqlite3';
import type { OrderLine } from '../core/order.ts';

/** Line items held in memory before the oldest move to disk (about 150 bytes each). */
export const MEMORY_LINES = 20_000;

export interface BulkLineSpill {
  put(parentId: string, line: OrderLine): void;
  /** Removes and returns the spilled lines of one order, in the order they were put. */
  take(parentId: string): OrderLine[];
  /** Removes and yields, order by order (by id), every line still spilled (their order was handed on before them). */
  drain(): Generator<{ parentId: string; lines: OrderLine[] }>;
  clear(): void;
}

/** @example const spill = createBulkLineSpill(db); spill.put('gid://shopify/Order/1', { productType: 'Shoes', quantity: 1 }); */
export function createBulkLineSpill(db: Database.Database, memoryLines = MEMORY_LINES): BulkLineSpill {
  const insert = db.prepare<[string, string, number]>('INSERT INTO bulk_line_spill (parent_id, product_type, quantity) VALUES (?, ?, ?)');
  const select = db.prepare<[string], { product_type: string; quantity: number }>('SELECT product_type, quantity FROM bulk_line_spill WHERE parent_id = ? ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM bulk_line_spill WHERE parent_id = ?');
  const parents = db.prepare<[], { parent_id: string }>('SELECT DISTINCT parent_id FROM bulk_line_spill ORDER BY parent_id');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM bulk_line_spill');
  /** By parent, oldest first (a Map keeps insertion order). */
  const waiting = new Map<string, OrderLine[]>();
  let inMemory = 0;
  let onDisk = count.get()?.n ?? 0;
  // Half of the memory's lines at a time, so the next few thousand puts stay in memory.
  const moveOldestToDisk = db.transaction(() => {
    for (const [parentId, lines] of waiting) {
      if (inMemory <= memoryLines / 2) break;
      for (const line of lines) insert.run(parentId, line.productType, line.quantity);
      waiting.delete(parentId);
      inMemory -= lines.length;
      onDisk += lines.length;
    }
  });
  const take = (parentId: string): OrderLine[] => {
    let lines: OrderLine[] = [];
    // Lines on disk were put before those in memory (a parent's lines move out together).
    if (onDisk > 0) {
      lines = select.all(parentId).map((row) => ({ productType: row.product_type, quantity: row.quantity }));
      if (lines.length > 0) {
        remove.run(parentId);
        onDisk -= lines.length;
      }
    }
    const held = waiting.get(parentId);
    if (held) {
      waiting.delete(parentId);
      inMemory -= held.length;
      lines = lines.length > 0 ? [...lines, ...held] : held;
    }
    return lines;
  };
  return {
    put(parentId, line) {
      const held = waiting.get(parentId);
      if (held) held.push(line);
      else waiting.set(parentId, [line]);
      inMemory += 1;
      if (inMemory > memoryLines) moveOldestToDisk();
    },
    take,
    *drain() {
      // Parents first (a small list), so no statement iterates while another writes.
      const ids = new Set(waiting.keys());
      if (onDisk > 0) for (const { parent_id: parentId } of parents.all()) ids.add(parentId);
      for (const parentId of [...ids].sort()) yield { parentId, lines: take(parentId) };
    },
    clear() {
      db.exec('DELETE FROM bulk_line_spill');
      waiting.clear();
      inMemory = 0;
      onDisk = 0;
    },
  };
}
