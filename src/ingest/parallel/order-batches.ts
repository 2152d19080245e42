import type { FactsOrder, Order } from '../../core/order.ts';
import type { SkippedRow } from '../types.ts';

/**
 * Orders in columns, as the parsing worker hands them to the main thread: typed arrays moved
 * (not copied) across threads, and only the strings the facts need that the main thread has not
 * seen yet: a customer id the first time, an email when it differs from that customer's last.
 * About 30 bytes an order instead of an object graph to clone.
 */
export interface OrderBatch {
  readonly length: number;
  /** The customer's key (first-seen order, from 0), -1 for a guest order. */
  readonly customerKey: Int32Array;
  readonly processedAt: Float64Array;
  readonly totalCents: Float64Array;
  /** Bit 0 cancelled, 1 test, 2 has an email, 3 the email is the next of `emails`. */
  readonly flags: Uint8Array;
  /** The product type's code (first-seen order, from 0), -1 for no line. */
  readonly productType: Int32Array;
  readonly quantity: Float64Array;
  /** Customer ids of the keys first seen in this batch, in key order. */
  readonly newCustomerIds: string[];
  readonly emails: string[];
  /** Product types of the codes first seen in this batch, in code order. */
  readonly newProductTypes: string[];
  /** Rows skipped since the previous batch, in file order. */
  readonly rejects: SkippedRow[];
}

const CANCELLED = 1;
const TEST = 2;
const HAS_EMAIL = 4;
const NEW_EMAIL = 8;

/** Orders per batch: large enough that a message costs little per order, small enough to stay a few MB. */
const BATCH_ORDERS = 32_768;

/**
 * Packs orders into {@link OrderBatch}es (worker side); `send` gets each full batch and the
 * buffers to transfer. Keeps one key per customer and the last email sent for each.
 */
export function createBatchPacker(send: (batch: OrderBatch, transfer: ArrayBuffer[]) => void) {
  const keys = new Map<string, number>();
  const lastEmail: (string | null)[] = [];
  const typeCodes = new Map<string, number>();
  let lastCustomerId: string | null = null;
  let lastKey = -1;
  let batch = emptyBatch();
  let length = 0;

  function flush(): void {
    const full = { ...batch, length };
    send(full, [full.customerKey.buffer, full.processedAt.buffer, full.totalCents.buffer, full.flags.buffer, full.productType.buffer, full.quantity.buffer] as ArrayBuffer[]);
    batch = emptyBatch();
    length = 0;
  }

  return {
    add(order: Order): void {
      const i = length++;
      let key = -1;
      let flags = (order.cancelled ? CANCELLED : 0) | (order.test ? TEST : 0);
      if (order.customerId !== null) {
        // A customer's orders usually come together: comparing with the last id saves most lookups (a quarter of this thread's time).
        key = order.customerId === lastCustomerId ? lastKey : (keys.get(order.customerId) ?? -1);
        if (key < 0) {
          key = keys.size;
          keys.set(order.customerId, key);
          lastEmail.push(null);
          batch.newCustomerIds.push(order.customerId);
        }
        lastCustomerId = order.customerId;
        lastKey = key;
      }
      if (order.email !== null) {
        flags |= HAS_EMAIL;
        if (key < 0 || lastEmail[key] !== order.email) {
          flags |= NEW_EMAIL;
          batch.emails.push(order.email);
          if (key >= 0) lastEmail[key] = order.email;
        }
      }
      batch.customerKey[i] = key;
      batch.processedAt[i] = order.processedAt;
      batch.totalCents[i] = order.totalCents;
      batch.flags[i] = flags;
      // A plain CSV order has at most one line (tested where the reader is).
      const line = order.lines[0];
      let type = -1;
      if (line !== undefined) {
        type = typeCodes.get(line.productType) ?? -1;
        if (type < 0) {
          type = typeCodes.size;
          typeCodes.set(line.productType, type);
          batch.newProductTypes.push(line.productType);
        }
        batch.quantity[i] = line.quantity;
      }
      batch.productType[i] = type;
      if (length === BATCH_ORDERS) flush();
    },
    reject(row: SkippedRow): void {
      batch.rejects.push(row);
    },
    /** Sends what is left (possibly no order, to carry the last rejects). */
    finish(): void {
      flush();
    },
  };
}

function emptyBatch(): Omit<OrderBatch, 'length'> {
  return {
    customerKey: new Int32Array(BATCH_ORDERS),
    processedAt: new Float64Array(BATCH_ORDERS),
    totalCents: new Float64Array(BATCH_ORDERS),
    flags: new Uint8Array(BATCH_ORDERS),
    productType: new Int32Array(BATCH_ORDERS),
    quantity: new Float64Array(BATCH_ORDERS),
    newCustomerIds: [],
    emails: [],
    newProductTypes: [],
    rejects: [],
  };
}

/**
 * Unpacks batches in the order they were packed (main thread): calls `onOrder` with one reused
 * order object per row (valid only during the call) and `onReject` with every skipped row.
 */
export function createBatchUnpacker(onOrder: (order: FactsOrder) => void, onReject?: (row: SkippedRow) => void) {
  const customerIds: string[] = [];
  const emailOf: (string | null)[] = [];
  const productTypes: string[] = [];
  const line = { productType: '', quantity: 0 };
  const noLines: FactsOrder['lines'] = [];
  const oneLine: FactsOrder['lines'] = [line];
  const order = { customerId: null as string | null, email: null as string | null, processedAt: 0, totalCents: 0, cancelled: false, test: false, lines: noLines };
  return (batch: OrderBatch): void => {
    for (const id of batch.newCustomerIds) {
      customerIds.push(id);
      emailOf.push(null);
    }
    for (const type of batch.newProductTypes) productTypes.push(type);
    if (onReject) for (const row of batch.rejects) onReject(row);
    let nextEmail = 0;
    for (let i = 0; i < batch.length; i++) {
      const key = batch.customerKey[i]!;
      const flags = batch.flags[i]!;
      let email: string | null = null;
      if (flags & HAS_EMAIL) {
        if (flags & NEW_EMAIL) {
          email = batch.emails[nextEmail++]!;
          if (key >= 0) emailOf[key] = email;
        } else email = emailOf[key]!;
      }
      order.customerId = key < 0 ? null : customerIds[key]!;
      order.email = email;
      order.processedAt = batch.processedAt[i]!;
      order.totalCents = batch.totalCents[i]!;
      order.cancelled = (flags & CANCELLED) !== 0;
      order.test = (flags & TEST) !== 0;
      const type = batch.productType[i]!;
      if (type < 0) order.lines = noLines;
      else {
        line.productType = productTypes[type]!;
        line.quantity = batch.quantity[i]!;
        order.lines = oneLine;
      }
      onOrder(order);
    }
  };
}
