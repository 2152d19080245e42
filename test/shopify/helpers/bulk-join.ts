import type { OrderLine } from '../../../src/core/order.ts';
import { openStore } from '../../../src/store/open-store.ts';

/**
 * The spill and late-line handler a bulk order pull needs, over an in-memory store; `late`
 * records what was handed over after its order.
 *
 * @example
 * const join = bulkJoin();
 * await runOrdersBulkQuery({ client })({ since, onOrder, ...join });
 */
export function bulkJoin(): { spill: ReturnType<typeof openStore>['bulkLineSpill']; onLateLines: (orderId: string, lines: readonly OrderLine[]) => void; late: { orderId: string; lines: OrderLine[] }[] } {
  const store = openStore(':memory:');
  const late: { orderId: string; lines: OrderLine[] }[] = [];
  return { spill: store.bulkLineSpill, onLateLines: (orderId, lines) => void late.push({ orderId, lines: [...lines] }), late };
}
