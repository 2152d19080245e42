import { formatMinorUnits, parseMoneyToMinorUnits } from '../../core/money.ts';
import type { SynthLine, SynthOrder } from '../../synth/types.ts';
import { encodeId, encodeMoney, Growable, indexOfSortedId, Interner, isoTime } from './compact-columns.ts';
import type { KeyColumns, OrderRow } from './shop-store.ts';

const MONEY_FIELDS = ['subtotalPrice', 'totalShipping', 'totalTax', 'totalPrice', 'totalRefunded', 'currentTotalPrice'] as const;
const TIME_FIELDS = ['createdAt', 'processedAt', 'updatedAt', 'cancelledAt'] as const;
const TEST_FLAG = 1 << 4;
const INT32_MAX = 2 ** 31 - 1;

/** The fields a sorted view of orders can sort on. */
export type OrderKeyField = 'id' | (typeof TIME_FIELDS)[number];

const CURRENT_TOTAL = MONEY_FIELDS.indexOf('currentTotalPrice');
const PROCESSED_AT = TIME_FIELDS.indexOf('processedAt');
const CANCELLED_AT = TIME_FIELDS.indexOf('cancelledAt');

/** What a customer's derived figures (amount spent, statistics) read of one order. */
export interface OrderFigures {
  /** Neither a test order nor cancelled. */
  countable: boolean;
  /** `currentTotalPrice` in minor units of the shop currency (0 when it does not parse in it). */
  currentTotalMinor: number;
  processedAtMs: number;
}

/** @example orderFigures(row, 'USD').currentTotalMinor; // 12_345 */
export function orderFigures(row: OrderRow, shopCurrency: string): OrderFigures {
  return {
    countable: !row.test && row.cancelledAt === null,
    currentTotalMinor: parseMoneyToMinorUnits(row.currentTotalPrice, shopCurrency) ?? 0,
    processedAtMs: Date.parse(row.processedAt),
  };
}

/** Epoch ms of an ISO time, 0 for none (rows without the time sort first). */
export const epochOf = (text: string | null): number => (text ? Date.parse(text) : 0);

/**
 * The loaded orders as columns: about 70 bytes an order plus 20 a line item instead of the
 * kilobyte of the objects. An order whose text would not format back exactly (an unusual time
 * or amount) is kept as its object. Orders changed or added later are kept as objects until
 * `reset()`.
 */
export function createOrderColumns() {
  const strings = new Interner();
  const load = {
    id: new Growable(new Float64Array(0)),
    name: new Growable(new Float64Array(0)),
    customerId: new Growable(new Float64Array(0)),
    times: TIME_FIELDS.map(() => new Growable(new Float64Array(0))),
    flags: new Growable(new Uint8Array(0)),
    currency: new Growable(new Uint32Array(0)),
    money: MONEY_FIELDS.map(() => new Growable(new Float64Array(0))),
    lineStart: new Growable(new Uint32Array(0)),
    lineId: new Growable(new Float64Array(0)),
    lineTitle: new Growable(new Uint32Array(0)),
    lineType: new Growable(new Uint32Array(0)),
    lineQuantity: new Growable(new Uint32Array(0)),
    linePrice: new Growable(new Float64Array(0)),
  };
  const emails: (string | null)[] = [];
  /** Loaded orders kept as objects (they would not encode exactly), by position. */
  const objects = new Map<number, OrderRow>();
  let columns: ReturnType<typeof take> | null = null;
  let loaded = 0;
  let byId: Map<string, number> | null = null;
  let sortedIds = true;
  let lastId = -1;
  const changed = new Map<string, OrderRow>();
  const added = new Map<string, OrderRow>();

  function take() {
    return {
      id: load.id.take(), name: load.name.take(), customerId: load.customerId.take(), times: load.times.map((t) => t.take()),
      flags: load.flags.take(), currency: load.currency.take(), money: load.money.map((m) => m.take()), lineStart: load.lineStart.take(),
      lineId: load.lineId.take(), lineTitle: load.lineTitle.take(), lineType: load.lineType.take(), lineQuantity: load.lineQuantity.take(),
      linePrice: load.linePrice.take(),
    };
  }

  /** The columns of one order, or null when some field would not format back to its text. */
  function encode(order: SynthOrder) {
    const id = encodeId(order.id);
    const name = /^#\d+$/.test(order.name) ? encodeId(order.name.slice(1)) : null;
    const customerId = order.customerId === null ? Number.NaN : encodeId(order.customerId);
    if (id === null || name === null || customerId === null) return null;
    let flags = order.test ? TEST_FLAG : 0;
    const times: number[] = [];
    for (const [i, field] of TIME_FIELDS.entries()) {
      const text = order[field];
      if (text === null) {
        times.push(Number.NaN);
        continue;
      }
      const time = isoTime.encode(text);
      if (!time) return null;
      times.push(time.ms);
      if (time.withMs) flags |= 1 << i;
    }
    const money: number[] = [];
    for (const field of MONEY_FIELDS) {
      const minor = encodeMoney(order[field], order.currencyCode);
      if (minor === null) return null;
      money.push(minor);
    }
    const lines: [number, number, number, number, number][] = [];
    for (const line of order.lines) {
      const lineId = encodeId(line.id);
      const price = encodeMoney(line.unitPrice, order.currencyCode);
      if (lineId === null || price === null || !Number.isInteger(line.quantity) || line.quantity < 0 || line.quantity > INT32_MAX) return null;
      lines.push([lineId, strings.code(line.title), strings.code(line.productType), line.quantity, price]);
    }
    return { id, name, customerId, flags, times, money, lines };
  }

  function decode(index: number): OrderRow {
    const object = objects.get(index);
    if (object) return object;
    const c = columns!;
    const flags = c.flags[index]!;
    const currencyCode = strings.value(c.currency[index]!);
    const time = (i: number) => {
      const ms = c.times[i]![index]!;
      return Number.isNaN(ms) ? null : isoTime.decode(ms, (flags & (1 << i)) !== 0);
    };
    const money = (i: number) => formatMinorUnits(c.money[i]![index]!, currencyCode);
    const lines: SynthLine[] = [];
    const end = index + 1 < c.lineStart.length ? c.lineStart[index + 1]! : c.lineId.length;
    for (let l = c.lineStart[index]!; l < end; l++) {
      lines.push({
        id: String(c.lineId[l]), title: strings.value(c.lineTitle[l]!), productType: strings.value(c.lineType[l]!),
        quantity: c.lineQuantity[l]!, unitPrice: formatMinorUnits(c.linePrice[l]!, currencyCode),
      });
    }
    const customerId = c.customerId[index]!;
    return {
      id: String(c.id[index]),
      name: `#${c.name[index]}`,
      customerId: Number.isNaN(customerId) ? null : String(customerId),
      email: emails[index]!,
      createdAt: time(0)!,
      processedAt: time(1)!,
      updatedAt: time(2)!,
      cancelledAt: time(3),
      test: (flags & TEST_FLAG) !== 0,
      currencyCode,
      subtotalPrice: money(0),
      totalShipping: money(1),
      totalTax: money(2),
      totalPrice: money(3),
      totalRefunded: money(4),
      currentTotalPrice: money(5),
      lines,
    };
  }

  const loadedCount = () => loaded;
  const idAt = (index: number): string => objects.get(index)?.id ?? String(columns!.id[index]);

  function indexOf(id: string): number {
    if (byId) return byId.get(id) ?? -1;
    return indexOfSortedId(columns!.id, id);
  }

  return {
    loadedCount,
    load(order: SynthOrder): void {
      const index = loaded;
      loaded += 1;
      const encoded = encode(order);
      emails.push(order.email);
      load.lineStart.push(load.lineId.length);
      if (!encoded) {
        objects.set(index, order);
        sortedIds = false;
        load.id.push(Number.NaN);
        load.name.push(0);
        load.customerId.push(Number.NaN);
        for (const t of load.times) t.push(Number.NaN);
        load.flags.push(0);
        load.currency.push(strings.code(order.currencyCode));
        for (const m of load.money) m.push(0);
        return;
      }
      if (!(encoded.id > lastId)) sortedIds = false;
      lastId = encoded.id;
      load.id.push(encoded.id);
      load.name.push(encoded.name);
      load.customerId.push(encoded.customerId);
      encoded.times.forEach((ms, i) => load.times[i]!.push(ms));
      load.flags.push(encoded.flags);
      load.currency.push(strings.code(order.currencyCode));
      encoded.money.forEach((minor, i) => load.money[i]!.push(minor));
      for (const [lineId, title, type, quantity, price] of encoded.lines) {
        load.lineId.push(lineId);
        load.lineTitle.push(title);
        load.lineType.push(type);
        load.lineQuantity.push(quantity);
        load.linePrice.push(price);
      }
    },
    finishLoading(): void {
      columns = take();
      if (!sortedIds) byId = new Map(Array.from({ length: columns.id.length }, (_, i) => [idAt(i), i]));
    },
    firstCurrency: (): string | null => (loadedCount() ? decode(0).currencyCode : null),
    idAt,
    count: () => loadedCount() + added.size,
    row(id: string): OrderRow | undefined {
      const override = changed.get(id) ?? added.get(id);
      if (override) return override;
      const index = indexOf(id);
      return index < 0 ? undefined : decode(index);
    },
    *rows(): Generator<OrderRow> {
      for (let i = 0; i < loadedCount(); i++) yield changed.get(idAt(i)) ?? decode(i);
      yield* added.values();
    },
    /**
     * Every order's numeric id and, for a time field, its epoch ms (0 when null), in `rows()`
     * order, read from the columns without making the rows. `values` is `ids` for `id`.
     */
    keyColumns(field: OrderKeyField): KeyColumns {
      const c = columns!;
      const n = loadedCount() + added.size;
      const ids = new Float64Array(n);
      const values = field === 'id' ? ids : new Float64Array(n);
      const time = field === 'id' ? -1 : TIME_FIELDS.indexOf(field);
      const fromRow = (i: number, row: OrderRow) => {
        ids[i] = Number(row.id);
        if (time >= 0) values[i] = epochOf(row[field as (typeof TIME_FIELDS)[number]]);
      };
      for (let i = 0; i < loadedCount(); i++) {
        ids[i] = c.id[i]!;
        if (time >= 0) {
          const ms = c.times[time]![i]!;
          values[i] = Number.isNaN(ms) ? 0 : ms;
        }
      }
      for (const [i, row] of objects) fromRow(i, row);
      for (const [id, row] of changed) fromRow(indexOf(id), row);
      let i = loadedCount();
      for (const row of added.values()) fromRow(i++, row);
      return { ids, values };
    },
    /**
     * An order's `orderFigures`, read from the columns without making its row: a bulk export of
     * customers reads them for every customer, and decoding each order whole made ~10 KB of
     * garbage a customer, which the old generation kept until its next full collection.
     */
    figures(id: string, shopCurrency: string): OrderFigures | undefined {
      const override = changed.get(id) ?? added.get(id);
      if (override) return orderFigures(override, shopCurrency);
      const index = indexOf(id);
      if (index < 0) return undefined;
      const object = objects.get(index);
      if (object) return orderFigures(object, shopCurrency);
      const c = columns!;
      const orderCurrency = strings.value(c.currency[index]!);
      const minor = c.money[CURRENT_TOTAL]![index]!;
      return {
        countable: (c.flags[index]! & TEST_FLAG) === 0 && Number.isNaN(c.times[CANCELLED_AT]![index]!),
        currentTotalMinor: orderCurrency === shopCurrency ? minor : (parseMoneyToMinorUnits(formatMinorUnits(minor, orderCurrency), shopCurrency) ?? 0),
        processedAtMs: c.times[PROCESSED_AT]![index]!,
      };
    },
    /** Replaces or adds an order; true when its id is new. */
    put(row: OrderRow): boolean {
      if (indexOf(row.id) >= 0) {
        changed.set(row.id, row);
        return false;
      }
      const isNew = !added.has(row.id);
      added.set(row.id, row);
      return isNew;
    },
    reset(): void {
      changed.clear();
      added.clear();
    },
  };
}
