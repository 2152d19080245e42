import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { createBulkLineSpill } from '../../src/store/bulk-line-spill.ts';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/migrations.ts';

const line = (productType: string, quantity = 1) => ({ productType, quantity });

function spillOver(memoryLines: number) {
  const db = new Database(':memory:');
  migrate(db);
  return { db, spill: createBulkLineSpill(db, memoryLines) };
}

describe('bulk line spill', () => {
  it('gives each order its lines once, in the order they were put', () => {
    const spill = openStore(':memory:').bulkLineSpill;
    spill.put('gid://shopify/Order/2', line('Hats'));
    spill.put('gid://shopify/Order/1', line('Shoes', 2));
    spill.put('gid://shopify/Order/2', line('Socks', 3));
    expect(spill.take('gid://shopify/Order/2')).toEqual([line('Hats'), line('Socks', 3)]);
    expect(spill.take('gid://shopify/Order/2')).toEqual([]);
    expect([...spill.drain()]).toEqual([{ parentId: 'gid://shopify/Order/1', lines: [line('Shoes', 2)] }]);
    expect([...spill.drain()]).toEqual([]);
  });

  it('moves the longest-waiting lines to disk beyond its memory, losing none and keeping their order', () => {
    const { db, spill } = spillOver(4);
    spill.put('a', line('A1'));
    spill.put('b', line('B1'));
    spill.put('a', line('A2'));
    spill.put('c', line('C1'));
    expect(db.prepare('SELECT count(*) FROM bulk_line_spill').pluck().get()).toBe(0);
    spill.put('d', line('D1')); // 5 > 4: a's two lines and b's go to disk, leaving 2 in memory
    expect(db.prepare('SELECT parent_id, product_type FROM bulk_line_spill ORDER BY rowid').raw().all()).toEqual([['a', 'A1'], ['a', 'A2'], ['b', 'B1']]);
    spill.put('a', line('A3'));
    expect(spill.take('a')).toEqual([line('A1'), line('A2'), line('A3')]);
    expect([...spill.drain()]).toEqual([
      { parentId: 'b', lines: [line('B1')] },
      { parentId: 'c', lines: [line('C1')] },
      { parentId: 'd', lines: [line('D1')] },
    ]);
    expect(db.prepare('SELECT count(*) FROM bulk_line_spill').pluck().get()).toBe(0);
  });

  it('forgets every line on clear, in memory and on disk', () => {
    const { spill } = spillOver(1);
    spill.put('a', line('A1'));
    spill.put('b', line('B1'));
    spill.clear();
    expect([...spill.drain()]).toEqual([]);
  });
});
