import type { SynthCustomer, SynthOrder } from '../../synth/types.ts';
import { encodeId, Growable, indexOfSortedId, Interner, isoTime } from './compact-columns.ts';
import { normaliseTagList } from './tag-list.ts';
import type { CustomerKeyField, CustomerRow, KeyColumns, MetafieldRow } from './shop-store.ts';

const CREATED_MS = 1;
const UPDATED_MS = 2;
const TAG_SEPARATOR = '\u0001';
const NO_METAFIELDS: ReadonlyMap<string, MetafieldRow> = new Map();
const SHARED_VALUE_MAX_LENGTH = 64;

/** One `namespace.key` of customer metafields, as columns over every customer (made when first set). */
interface MetafieldColumn {
  readonly namespace: string;
  readonly key: string;
  readonly present: Uint8Array;
  readonly id: Float64Array;
  readonly type: Uint32Array;
  readonly value: (string | undefined)[];
  readonly created: Float64Array;
  readonly updated: Float64Array;
  /** Bit 0: created with milliseconds; bit 1: updated with milliseconds. */
  readonly flags: Uint8Array;
}

/**
 * The shop's customers as columns: names and tag lists kept once, times as numbers, each
 * metafield key a set of columns, the orders as a range of the loaded orders. A row that would
 * not encode exactly is kept as its object. `write` stores a changed row back; `reset()` returns
 * to the loaded customers.
 */
export function createCustomerColumns(orderIdAt: (index: number) => string) {
  const strings = new Interner();
  const tagLists = new Interner();
  const decodedTags: (readonly string[])[] = [];
  const load = {
    id: new Growable(new Float64Array(0)),
    firstName: new Growable(new Uint32Array(0)),
    lastName: new Growable(new Uint32Array(0)),
    tags: new Growable(new Uint32Array(0)),
    created: new Growable(new Float64Array(0)),
    updated: new Growable(new Float64Array(0)),
    flags: new Growable(new Uint8Array(0)),
    firstOrder: new Growable(new Uint32Array(0)),
    orderCount: new Growable(new Uint32Array(0)),
  };
  const loadedEmails: (string | null)[] = [];
  const loadedObjects = new Map<number, CustomerRow>();
  let sortedIds = true;
  let lastId = -1;
  let byId: Map<string, number> | null = null;
  let initial: ReturnType<typeof snapshot> | null = null;
  let current: ReturnType<typeof snapshot> | null = null;
  let emails: (string | null)[] = [];
  let objects = new Map<number, CustomerRow>();
  let metafields = new Map<string, MetafieldColumn>();
  /** Orders added to a customer after loading, or an order list a write replaced. */
  let orderIdsOverride = new Map<number, readonly string[]>();

  function snapshot() {
    return {
      firstName: load.firstName.take(), lastName: load.lastName.take(), tags: load.tags.take(), created: load.created.take(),
      updated: load.updated.take(), flags: load.flags.take(),
    };
  }
  const copy = (s: ReturnType<typeof snapshot>) => ({
    firstName: s.firstName.slice(), lastName: s.lastName.slice(), tags: s.tags.slice(), created: s.created.slice(), updated: s.updated.slice(), flags: s.flags.slice(),
  });
  let ids = new Float64Array(0);
  let firstOrder = new Uint32Array(0);
  let orderCount = new Uint32Array(0);

  const tagCode = (tags: readonly string[]): number | null => {
    if (tags.some((tag) => tag.includes(TAG_SEPARATOR))) return null;
    const code = tagLists.code(tags.join(TAG_SEPARATOR));
    if (decodedTags[code] === undefined) decodedTags[code] = Object.freeze([...tags]);
    return code;
  };

  function indexOf(id: string): number {
    if (byId) return byId.get(id) ?? -1;
    return indexOfSortedId(ids, id);
  }

  function orderIdsAt(index: number): readonly string[] {
    const override = orderIdsOverride.get(index);
    if (override) return override;
    const out: string[] = [];
    for (let i = 0; i < orderCount[index]!; i++) out.push(orderIdAt(firstOrder[index]! + i));
    return out;
  }

  function metafieldsAt(index: number): ReadonlyMap<string, MetafieldRow> {
    let map: Map<string, MetafieldRow> | null = null;
    for (const [mapKey, column] of metafields) {
      if (!column.present[index]) continue;
      map ??= new Map();
      const flags = column.flags[index]!;
      map.set(mapKey, {
        id: String(column.id[index]), namespace: column.namespace, key: column.key, type: strings.value(column.type[index]!), value: column.value[index]!,
        createdAt: isoTime.decode(column.created[index]!, (flags & CREATED_MS) !== 0), updatedAt: isoTime.decode(column.updated[index]!, (flags & UPDATED_MS) !== 0),
      });
    }
    return map ?? NO_METAFIELDS;
  }

  function decode(index: number): CustomerRow {
    const object = objects.get(index);
    if (object) return object;
    const c = current!;
    const flags = c.flags[index]!;
    return {
      id: String(ids[index]),
      email: emails[index]!,
      firstName: strings.value(c.firstName[index]!),
      lastName: strings.value(c.lastName[index]!),
      tags: decodedTags[c.tags[index]!]!,
      createdAt: isoTime.decode(c.created[index]!, (flags & CREATED_MS) !== 0),
      updatedAt: isoTime.decode(c.updated[index]!, (flags & UPDATED_MS) !== 0),
      metafields: metafieldsAt(index),
      orderIds: orderIdsAt(index),
    };
  }

  /** Writes `row` into the columns at `index`; false when some field would not encode exactly. */
  function encodeInto(index: number, row: CustomerRow): boolean {
    const created = isoTime.encode(row.createdAt);
    const updated = isoTime.encode(row.updatedAt);
    const tags = tagCode(row.tags);
    if (!created || !updated || tags === null || row.id !== String(ids[index])) return false;
    const fields: [MetafieldColumn, MetafieldRow, { ms: number; withMs: boolean }, { ms: number; withMs: boolean }, number][] = [];
    for (const [mapKey, field] of row.metafields) {
      const fieldCreated = isoTime.encode(field.createdAt);
      const fieldUpdated = isoTime.encode(field.updatedAt);
      const fieldId = encodeId(field.id);
      if (mapKey !== `${field.namespace}.${field.key}` || !fieldCreated || !fieldUpdated || fieldId === null) return false;
      fields.push([metafieldColumn(field.namespace, field.key), field, fieldCreated, fieldUpdated, fieldId]);
    }
    const c = current!;
    emails[index] = row.email;
    c.firstName[index] = strings.code(row.firstName);
    c.lastName[index] = strings.code(row.lastName);
    c.tags[index] = tags;
    c.created[index] = created.ms;
    c.updated[index] = updated.ms;
    c.flags[index] = (created.withMs ? CREATED_MS : 0) | (updated.withMs ? UPDATED_MS : 0);
    for (const column of metafields.values()) column.present[index] = 0;
    for (const [column, field, fieldCreated, fieldUpdated, fieldId] of fields) {
      column.present[index] = 1;
      column.id[index] = fieldId;
      column.type[index] = strings.code(field.type);
      // Short values (a tier, a date) repeat across customers: kept once, not once a customer.
      column.value[index] = field.value.length <= SHARED_VALUE_MAX_LENGTH ? strings.value(strings.code(field.value)) : field.value;
      column.created[index] = fieldCreated.ms;
      column.updated[index] = fieldUpdated.ms;
      column.flags[index] = (fieldCreated.withMs ? CREATED_MS : 0) | (fieldUpdated.withMs ? UPDATED_MS : 0);
    }
    const loadedOrders = orderIdsAt(index);
    if (row.orderIds !== loadedOrders && (row.orderIds.length !== loadedOrders.length || row.orderIds.some((id, i) => id !== loadedOrders[i]))) {
      orderIdsOverride.set(index, [...row.orderIds]);
    }
    return true;
  }

  function metafieldColumn(namespace: string, key: string): MetafieldColumn {
    const mapKey = `${namespace}.${key}`;
    let column = metafields.get(mapKey);
    if (!column) {
      const n = ids.length;
      column = {
        namespace, key, present: new Uint8Array(n), id: new Float64Array(n), type: new Uint32Array(n), value: new Array<string | undefined>(n),
        created: new Float64Array(n), updated: new Float64Array(n), flags: new Uint8Array(n),
      };
      metafields.set(mapKey, column);
    }
    return column;
  }

  return {
    /** Loads one customer, whose orders are the loaded orders `firstOrder`… in its record. */
    load(customer: SynthCustomer, first: number, orders: readonly SynthOrder[]): void {
      const index = load.id.length;
      const id = encodeId(customer.id);
      const created = isoTime.encode(customer.createdAt);
      const updated = isoTime.encode(customer.updatedAt);
      const tags = tagCode(normaliseTagList(customer.tags));
      loadedEmails.push(customer.email);
      load.firstOrder.push(first);
      load.orderCount.push(orders.length);
      if (id === null || !created || !updated || tags === null) {
        sortedIds = false;
        load.id.push(Number.NaN);
        for (const column of [load.firstName, load.lastName, load.tags, load.created, load.updated, load.flags]) column.push(0);
        loadedObjects.set(index, {
          id: customer.id, email: customer.email, firstName: customer.firstName, lastName: customer.lastName, tags: normaliseTagList(customer.tags),
          createdAt: customer.createdAt, updatedAt: customer.updatedAt, metafields: new Map(), orderIds: orders.map((o) => o.id),
        });
        return;
      }
      if (!(id > lastId)) sortedIds = false;
      lastId = id;
      load.id.push(id);
      load.firstName.push(strings.code(customer.firstName));
      load.lastName.push(strings.code(customer.lastName));
      load.tags.push(tags);
      load.created.push(created.ms);
      load.updated.push(updated.ms);
      load.flags.push((created.withMs ? CREATED_MS : 0) | (updated.withMs ? UPDATED_MS : 0));
    },
    finishLoading(): void {
      ids = load.id.take();
      firstOrder = load.firstOrder.take();
      orderCount = load.orderCount.take();
      initial = snapshot();
      current = copy(initial);
      emails = [...loadedEmails];
      objects = new Map(loadedObjects);
      if (!sortedIds) byId = new Map(Array.from({ length: ids.length }, (_, i) => [objects.get(i)?.id ?? String(ids[i]), i]));
    },
    count: () => ids.length,
    row(id: string): CustomerRow | undefined {
      const index = indexOf(id);
      return index < 0 ? undefined : decode(index);
    },
    *rows(): Generator<CustomerRow> {
      for (let i = 0; i < ids.length; i++) yield decode(i);
    },
    /** Stores a changed row of an existing customer. */
    write(row: CustomerRow): void {
      const index = indexOf(row.id);
      if (index < 0) return;
      if (objects.has(index) || !encodeInto(index, row)) objects.set(index, row);
    },
    /**
     * Every customer's numeric id and, for a time field, its epoch ms, in `rows()` order, read
     * from the columns without making the rows. `values` is `ids` for `id`.
     */
    keyColumns(field: CustomerKeyField): KeyColumns {
      const keyIds = ids.slice();
      const values = field === 'id' ? keyIds : (field === 'createdAt' ? current!.created : current!.updated).slice();
      for (const [i, row] of objects) {
        keyIds[i] = Number(row.id);
        if (field !== 'id') values[i] = Date.parse(row[field]);
      }
      return { ids: keyIds, values };
    },
    addOrderId(customerId: string, orderId: string): void {
      const index = indexOf(customerId);
      if (index < 0) return;
      const object = objects.get(index);
      if (object) objects.set(index, { ...object, orderIds: [...object.orderIds, orderId] });
      else orderIdsOverride.set(index, [...orderIdsAt(index), orderId]);
    },
    reset(): void {
      current = copy(initial!);
      emails = [...loadedEmails];
      objects = new Map(loadedObjects);
      metafields = new Map();
      orderIdsOverride = new Map();
    },
  };
}
