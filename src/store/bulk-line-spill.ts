/**
 * Line items of an ungrouped bulk export that could not join their order in memory (they came
 * before it, or after it left the join window), kept on disk until their order is handed on or
 * the file ends, so that memory stays bounded and no line item is lost.
 */
import type Database from 'better-sqlite3';
import type { OrderLine } from '../core/order.ts';

export interface BulkLineSpill {
  put(parentId: string, line: OrderLine): void;
  /** Removes and returns the spilled lines of one order (none in a few microseconds when the spill is empty). */
  take(parentId: string): OrderLine[];
  /** Removes and yields, order by order, every line still spilled (their order was handed on before them). */
  drain(): Generator<{ parentId: string; lines: OrderLine[] }>;
  clear(): void;
}

/** @example const spill = createBulkLineSpill(db); spill.put('gid://shopify/Order/1', { productType: 'Shoes', quantity: 1 }); */
export function createBulkLineSpill(db: Database.Database): BulkLineSpill {
  const insert = db.prepare<[string, string, number]>('INSERT INTO bulk_line_spill (parent_id, product_type, quantity) VALUES (?, ?, ?)');
  const select = db.prepare<[string], { product_type: string; quantity: number }>('SELECT product_type, quantity FROM bulk_line_spill WHERE parent_id = ? ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM bulk_line_spill WHERE parent_id = ?');
  const parents = db.prepare<[], { parent_id: string }>('SELECT DISTINCT parent_id FROM bulk_line_spill ORDER BY parent_id');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM bulk_line_spill');
  let spilled = count.get()?.n ?? 0;
  const take = (parentId: string): OrderLine[] => {
    if (spilled === 0) return [];
    const lines = select.all(parentId).map((row) => ({ productType: row.product_type, quantity: row.quantity }));
    if (lines.length > 0) {
      remove.run(parentId);
      spilled -= lines.length;
    }
    return lines;
  };
  return {
    put(parentId, line) {
      insert.run(parentId, line.productType, line.quantity);
      spilled += 1;
    },
    take,
    *drain() {
      // Parents first (a small list), so no statement iterates while another writes.
      for (const { parent_id: parentId } of parents.all()) yield { parentId, lines: take(parentId) };
    },
    clear() {
      db.exec('DELETE FROM bulk_line_spill');
      spilled = 0;
    },
  };
}
