import type Database from 'better-sqlite3';
import type { OrderLine } from '../core/order.ts';
import { InternalError } from '../errors.ts';

/**
 * An order's line items as the store keeps them: `type` or `type*quantity` (quantity 1 is left
 * out), comma-separated, where `type` is the number of the product type in
 * `order_product_types` (a shop has a few dozen product types and millions of lines). `[]` is
 * the empty string. Migration 9 writes the same form in SQL.
 *
 * @example
 * const lines = createOrderLineCodec(db);
 * lines.encode([{ productType: 'Shoes', quantity: 2 }, { productType: 'Hats', quantity: 1 }]); // '1*2,2'
 */
export interface OrderLineCodec {
  /** Interns new product types: call inside the transaction that writes the order. */
  encode(lines: readonly OrderLine[]): string;
  decode(text: string): OrderLine[];
  /** Forgets product types interned by a transaction that rolled back. */
  reload(): void;
}

export function createOrderLineCodec(db: Database.Database): OrderLineCodec {
  const selectAll = db.prepare<[], [number, string]>('SELECT id, name FROM order_product_types').raw(true);
  const insert = db.prepare<[string]>('INSERT INTO order_product_types (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const selectId = db.prepare<[string], number>('SELECT id FROM order_product_types WHERE name = ?').pluck(true);
  let ids = new Map<string, number>();
  let names: string[] = [];
  const reload = () => {
    ids = new Map();
    names = [];
    for (const [id, name] of selectAll.all()) {
      ids.set(name, id);
      names[id] = name;
    }
  };
  reload();
  const intern = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      insert.run(name);
      id = selectId.get(name) as number;
      ids.set(name, id);
      names[id] = name;
    }
    return id;
  };
  const nameOf = (id: number): string => {
    // Another process (a sync, while this one reports) may have interned it since the load.
    if (names[id] === undefined) reload();
    const name = names[id];
    if (name === undefined) throw new InternalError(`order store: line items name product type ${id}, which order_product_types does not hold`);
    return name;
  };
  return {
    encode(lines) {
      let text = '';
      for (const line of lines) {
        const id = intern(line.productType);
        text += `${text ? ',' : ''}${id}${line.quantity === 1 ? '' : `*${line.quantity}`}`;
      }
      return text;
    },
    decode(text) {
      if (text === '') return [];
      return text.split(',').map((item) => {
        const star = item.indexOf('*');
        return star === -1
          ? { productType: nameOf(Number(item)), quantity: 1 }
          : { productType: nameOf(Number(item.slice(0, star))), quantity: Number(item.slice(star + 1)) };
      });
    },
    reload,
  };
}
