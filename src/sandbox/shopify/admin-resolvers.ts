/**
 * The root value `graphql.execute` runs the Admin schema against: the queries and mutations
 * tiersync uses, over the in-memory shop. Objects are plain values whose lazily computed
 * fields (connections, related objects) are functions, which graphql-js's default resolver
 * calls with the field's arguments. Fields not served here resolve to null.
 */
import { GraphQLError } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { formatMinorUnits, parseMoneyToMinorUnits } from '../../core/money.ts';
import type { SynthLine } from '../../synth/types.ts';
import { buildSortedView, InvalidCursorError, paginate } from './pagination.ts';
import type { PageArgs, SortedView } from './pagination.ts';
import { compileSearch, parseSearchQuery } from './search-query.ts';
import type { FieldReader } from './search-query.ts';
import { normaliseTagList } from './shop-store.ts';
import type { CustomerRow, MetafieldRow, OrderRow, ShopStore } from './shop-store.ts';

/** Shopify's per-resource limits on tags. */
export const MAX_TAGS_PER_RESOURCE = 250;
export const MAX_TAG_LENGTH = 255;
/** `metafieldsSet` takes at most 25 metafields a call. */
export const MAX_METAFIELDS_PER_SET = 25;
/** Input arguments that accept an array have a maximum size of 250 (https://shopify.dev/docs/api/usage/limits). */
export const MAX_INPUT_ARRAY = 250;

export type BulkOperationType = 'QUERY' | 'MUTATION';
export type BulkOperationStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED';

export interface BulkOperationRecord {
  id: string;
  type: BulkOperationType;
  status: BulkOperationStatus;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  query: string;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: string;
}

export interface BulkOperationsPort {
  runQuery(query: string): { operation: BulkOperationRecord | null; userErrors: BulkUserError[] };
  runMutation(mutation: string, stagedUploadPath: string): { operation: BulkOperationRecord | null; userErrors: BulkUserError[] };
  current(type: BulkOperationType): BulkOperationRecord | null;
  byId(id: string): BulkOperationRecord | null;
}

export interface StagedUploadTarget {
  url: string;
  resourceUrl: string | null;
  parameters: { name: string; value: string }[];
}

export interface StagedUploadsPort {
  createTarget(input: { filename: string; mimeType: string; httpMethod: 'POST' | 'PUT' }): StagedUploadTarget;
}

export interface WriteCounters {
  tags_added: number;
  tags_removed: number;
  metafields_set: number;
}

export interface ResolverDeps {
  store: ShopStore;
  shopDomain: string;
  now: () => number;
  writes: WriteCounters;
  bulk: () => BulkOperationsPort;
  uploads: () => StagedUploadsPort;
}

/** Per-execution state: in a bulk query the root connection is paged by the runner, nested ones are whole. */
export interface ExecutionState {
  bulk: { rootPage: PageArgs; endCursor: string | null; hasNextPage: boolean; rootCount: number } | null;
}

type Args = Record<string, unknown>;

/**
 * Creates the root value for `execute({ schema, document, rootValue, contextValue })`.
 *
 * @example
 * execute({ schema: adminSchema(), document: parse('{ shop { name } }'), rootValue: createAdminRootValue(deps), contextValue: { bulk: null } });
 */
export function createAdminRootValue(deps: ResolverDeps): Record<string, unknown> {
  const views = createViews(deps, createViewCache(deps.store));
  return {
    shop: () => views.shop(),
    orders: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => views.ordersConnection(args, state, info),
    customers: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => views.customersConnection(args, state, info),
    order: ({ id }: Args) => views.nodeById(String(id), 'Order'),
    customer: ({ id }: Args) => views.nodeById(String(id), 'Customer'),
    node: ({ id }: Args) => views.nodeById(String(id)),
    nodes: ({ ids }: Args) => (ids as string[]).map((id) => views.nodeById(id)),
    currentBulkOperation: ({ type }: Args) => bulkView(deps.bulk().current((type as BulkOperationType | undefined) ?? 'QUERY')),
    bulkOperation: ({ id }: Args) => bulkView(deps.bulk().byId(String(id))),

    tagsAdd: ({ id, tags }: Args) => changeTags(deps, views, String(id), tags as string[], 'add'),
    tagsRemove: ({ id, tags }: Args) => changeTags(deps, views, String(id), tags as string[], 'remove'),
    metafieldsSet: ({ metafields }: Args) => setMetafields(deps, views, metafields as MetafieldInput[]),
    stagedUploadsCreate: ({ input }: Args) => createStagedUploads(deps, input as StagedUploadInput[]),
    bulkOperationRunQuery: ({ query }: Args) => {
      const { operation, userErrors } = deps.bulk().runQuery(String(query));
      return { bulkOperation: bulkView(operation), userErrors };
    },
    bulkOperationRunMutation: ({ mutation, stagedUploadPath }: Args) => {
      const { operation, userErrors } = deps.bulk().runMutation(String(mutation), String(stagedUploadPath));
      return { bulkOperation: bulkView(operation), userErrors };
    },
  };
}

type ViewCache = (resource: 'orders' | 'customers', sortKey: string) => SortedView;

function createViewCache(store: ShopStore): ViewCache {
  const cache = new Map<string, { version: number; view: SortedView }>();
  return (resource, sortKey) => {
    const key = `${resource}:${sortKey}`;
    // Ids never change, so an id-sorted view only goes stale when rows are added.
    const version = sortKey === 'ID' ? store.membershipVersion() : store.version(resource);
    const hit = cache.get(key);
    if (hit && hit.version === version) return hit.view;
    const view =
      resource === 'orders'
        ? buildSortedView(store.orders(), orderSortValue(sortKey))
        : buildSortedView(store.customers(), customerSortValue(sortKey));
    cache.set(key, { version, view });
    return view;
  };
}

const epoch = (text: string | null): bigint => BigInt(text ? Date.parse(text) : 0);

function orderSortValue(sortKey: string): (row: OrderRow) => bigint {
  switch (sortKey) {
    case 'CREATED_AT':
      return (row) => epoch(row.createdAt);
    case 'UPDATED_AT':
      return (row) => epoch(row.updatedAt);
    case 'PROCESSED_AT':
      return (row) => epoch(row.processedAt);
    default:
      return (row) => BigInt(row.id);
  }
}

function customerSortValue(sortKey: string): (row: CustomerRow) => bigint {
  switch (sortKey) {
    case 'CREATED_AT':
      return (row) => epoch(row.createdAt);
    case 'UPDATED_AT':
      return (row) => epoch(row.updatedAt);
    default:
      return (row) => BigInt(row.id);
  }
}

const ORDER_SEARCH_FIELDS: Record<string, FieldReader<OrderRow>> = {
  id: { kind: 'id', read: (row) => row.id },
  customer_id: { kind: 'id', read: (row) => row.customerId },
  created_at: { kind: 'time', read: (row) => row.createdAt },
  updated_at: { kind: 'time', read: (row) => row.updatedAt },
  processed_at: { kind: 'time', read: (row) => row.processedAt },
  email: { kind: 'text', read: (row) => row.email },
  name: { kind: 'text', read: (row) => row.name },
  test: { kind: 'boolean', read: (row) => row.test },
};

const CUSTOMER_SEARCH_FIELDS: Record<string, FieldReader<CustomerRow>> = {
  id: { kind: 'id', read: (row) => row.id },
  created_at: { kind: 'time', read: (row) => row.createdAt },
  updated_at: { kind: 'time', read: (row) => row.updatedAt },
  email: { kind: 'text', read: (row) => row.email },
  tag: { kind: 'text', read: (row) => row.tags },
};

interface Views {
  shop(): Record<string, unknown>;
  ordersConnection(args: Args, state: ExecutionState, info: GraphQLResolveInfo): Record<string, unknown>;
  customersConnection(args: Args, state: ExecutionState, info: GraphQLResolveInfo): Record<string, unknown>;
  nodeById(id: string, typename?: string): Record<string, unknown> | null;
  customer(row: CustomerRow): Record<string, unknown>;
  metafield(row: MetafieldRow, ownerId: string): Record<string, unknown>;
}

function createViews(deps: ResolverDeps, sortedViews: ViewCache): Views {
  const { store } = deps;
  const currency = store.currencyCode;
  const money = (amount: string) => ({ __typename: 'MoneyV2', amount, currencyCode: currency });
  const moneyBag = (amount: string) => ({ __typename: 'MoneyBag', shopMoney: money(amount), presentmentMoney: money(amount) });

  const pageArgs = (args: Args, state: ExecutionState, info: GraphQLResolveInfo): PageArgs => {
    if (state.bulk) return info.path.prev === undefined ? state.bulk.rootPage : { first: null, reverse: args.reverse as boolean | undefined };
    return {
      first: args.first as number | undefined,
      last: args.last as number | undefined,
      after: args.after as string | undefined,
      before: args.before as string | undefined,
      reverse: args.reverse as boolean | undefined,
    };
  };

  const connection = <Row>(
    view: SortedView,
    page: PageArgs,
    matches: (id: string) => boolean,
    load: (id: string) => Row,
    toNode: (row: Row) => Record<string, unknown>,
    state: ExecutionState,
    info: GraphQLResolveInfo,
  ): Record<string, unknown> => {
    let result;
    try {
      result = paginate(view, page, matches);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_REQUEST' } });
      throw error;
    }
    if (state.bulk && info.path.prev === undefined) {
      state.bulk.endCursor = result.cursors[result.cursors.length - 1] ?? state.bulk.endCursor;
      state.bulk.hasNextPage = result.hasNextPage;
      state.bulk.rootCount += result.ids.length;
    }
    const nodes = result.ids.map((id) => toNode(load(id)));
    return {
      edges: nodes.map((node, index) => ({ cursor: result.cursors[index], node })),
      nodes,
      pageInfo: {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: result.hasPreviousPage,
        startCursor: result.cursors[0] ?? null,
        endCursor: result.cursors[result.cursors.length - 1] ?? null,
      },
    };
  };

  const loadOrder = (id: string) => store.order(id) as OrderRow;
  const loadCustomer = (id: string) => store.customer(id) as CustomerRow;

  /** A connection filtered by the `query:` argument (Shopify's search syntax) over `fields`. */
  const searchConnection = <Row>(
    view: SortedView,
    fields: Record<string, FieldReader<Row>>,
    load: (id: string) => Row,
    toNode: (row: Row) => Record<string, unknown>,
    args: Args,
    state: ExecutionState,
    info: GraphQLResolveInfo,
  ): Record<string, unknown> => {
    const matchesSearch = compileSearch(parseSearchQuery(args.query as string | undefined), fields);
    return connection(view, pageArgs(args, state, info), (id) => matchesSearch(load(id)), load, toNode, state, info);
  };

  const productIds = new Map<string, string>();
  const product = (productType: string) => {
    let id = productIds.get(productType);
    if (!id) {
      id = String(8_100_000_001 + productIds.size);
      productIds.set(productType, id);
    }
    return { __typename: 'Product', id: `gid://shopify/Product/${id}`, productType, title: productType };
  };

  const lineItem = (line: SynthLine) => {
    const total = parseMoneyToMinorUnits(line.unitPrice, currency) ?? 0;
    return {
      __typename: 'LineItem',
      id: `gid://shopify/LineItem/${line.id}`,
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      currentQuantity: line.quantity,
      originalUnitPriceSet: moneyBag(line.unitPrice),
      originalTotalSet: moneyBag(formatMinorUnits(total * line.quantity, currency)),
      product: line.productType ? product(line.productType) : null,
    };
  };

  const order = (row: OrderRow): Record<string, unknown> => ({
    __typename: 'Order',
    id: `gid://shopify/Order/${row.id}`,
    legacyResourceId: row.id,
    name: row.name,
    email: row.email,
    createdAt: row.createdAt,
    processedAt: row.processedAt,
    updatedAt: row.updatedAt,
    cancelledAt: row.cancelledAt,
    closed: false,
    test: row.test,
    currencyCode: row.currencyCode,
    presentmentCurrencyCode: row.currencyCode,
    totalPriceSet: moneyBag(row.totalPrice),
    totalRefundedSet: moneyBag(row.totalRefunded),
    currentTotalPriceSet: moneyBag(row.currentTotalPrice),
    customer: () => {
      const owner = row.customerId ? store.customer(row.customerId) : undefined;
      return owner ? customer(owner) : null;
    },
    lineItems: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      const lines = new Map(row.lines.map((line) => [line.id, line]));
      return connection(buildSortedView(row.lines, (line) => BigInt(line.id)), pageArgs(args, state, info), () => true, (id) => lines.get(id) as SynthLine, lineItem, state, info);
    },
  });

  const customerOrders = (row: CustomerRow) => row.orderIds.map((id) => store.order(id)).filter((o): o is OrderRow => o !== undefined);

  const customer = (row: CustomerRow): Record<string, unknown> => ({
    __typename: 'Customer',
    id: `gid://shopify/Customer/${row.id}`,
    legacyResourceId: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    displayName: `${row.firstName} ${row.lastName}`.trim(),
    email: row.email,
    defaultEmailAddress: row.email
      ? { __typename: 'CustomerEmailAddress', emailAddress: row.email, marketingState: 'NOT_SUBSCRIBED', validFormat: true }
      : null,
    tags: [...row.tags],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    numberOfOrders: () => String(row.orderIds.length),
    amountSpent: () => money(formatMinorUnits(amountSpentMinor(customerOrders(row), currency), currency)),
    statistics: () => customerStatistics(customerOrders(row), currency, deps.now()),
    metafield: ({ namespace, key }: Args) => {
      const found = row.metafields.get(`${(namespace as string | undefined) ?? '$app'}.${String(key)}`);
      return found ? metafield(found, row.id) : null;
    },
    metafields: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      const rows = [...row.metafields.values()].filter((m) => args.namespace == null || m.namespace === args.namespace);
      const byId = new Map(rows.map((m) => [m.id, m]));
      return connection(buildSortedView(rows, (m) => BigInt(m.id)), pageArgs(args, state, info), () => true, (id) => byId.get(id) as MetafieldRow, (m) => metafield(m, row.id), state, info);
    },
    orders: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) =>
      searchConnection(buildSortedView(customerOrders(row), orderSortValue(String(args.sortKey ?? 'ID'))), ORDER_SEARCH_FIELDS, loadOrder, order, args, state, info),
  });

  const metafield = (row: MetafieldRow, ownerId: string): Record<string, unknown> => ({
    __typename: 'Metafield',
    id: `gid://shopify/Metafield/${row.id}`,
    legacyResourceId: row.id,
    namespace: row.namespace,
    key: row.key,
    type: row.type,
    value: row.value,
    jsonValue: () => metafieldJsonValue(row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ownerType: 'CUSTOMER',
    owner: () => {
      const owner = store.customer(ownerId);
      return owner ? customer(owner) : null;
    },
  });

  return {
    shop: () => ({
      __typename: 'Shop',
      id: 'gid://shopify/Shop/1',
      name: deps.shopDomain.replace(/\.myshopify\.com$/, ''),
      myshopifyDomain: deps.shopDomain,
      currencyCode: currency,
      ianaTimezone: 'Etc/UTC',
      timezoneOffsetMinutes: 0,
    }),
    ordersConnection(args, state, info) {
      return searchConnection(sortedViews('orders', String(args.sortKey ?? 'ID')), ORDER_SEARCH_FIELDS, loadOrder, order, args, state, info);
    },
    customersConnection(args, state, info) {
      return searchConnection(sortedViews('customers', String(args.sortKey ?? 'ID')), CUSTOMER_SEARCH_FIELDS, loadCustomer, customer, args, state, info);
    },
    nodeById(id, typename) {
      const parsed = parseGid(id);
      if (!parsed || (typename && parsed.type !== typename)) return null;
      if (parsed.type === 'Order') {
        const row = store.order(parsed.id);
        return row ? order(row) : null;
      }
      if (parsed.type === 'Customer') {
        const row = store.customer(parsed.id);
        return row ? customer(row) : null;
      }
      if (parsed.type === 'BulkOperation') return bulkView(deps.bulk().byId(id));
      return null;
    },
    customer,
    metafield,
  };
}

/**
 * Splits a global id `gid://shopify/<Type>/<numeric id>`.
 *
 * @example
 * parseGid('gid://shopify/Customer/7100000001'); // { type: 'Customer', id: '7100000001' }
 */
export function parseGid(gid: string): { type: string; id: string } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(gid);
  return match ? { type: match[1] as string, id: match[2] as string } : null;
}

function countable(order: OrderRow): boolean {
  return !order.test && order.cancelledAt === null;
}

function amountSpentMinor(orders: readonly OrderRow[], currency: string): number {
  return orders.filter(countable).reduce((sum, order) => sum + (parseMoneyToMinorUnits(order.currentTotalPrice, currency) ?? 0), 0);
}

/**
 * Shopify computes `rfmGroup` and `predictedSpendTier` with models it does not publish; the
 * sandbox derives them from simple rules on the customer's orders so that they vary and can be
 * read beside tiersync's own tiers (see the sandbox README).
 */
function customerStatistics(orders: readonly OrderRow[], currency: string, now: number): Record<string, unknown> {
  const counted = orders.filter(countable);
  const spentMajor = amountSpentMinor(counted, currency) / 10 ** (formatMinorUnits(1, currency).split('.')[1]?.length ?? 0);
  const last = counted.reduce((latest, order) => Math.max(latest, Date.parse(order.processedAt)), 0);
  const days = counted.length === 0 ? Infinity : (now - last) / 86_400_000;
  let rfmGroup: string;
  if (counted.length === 0) rfmGroup = 'PROSPECTS';
  else if (counted.length >= 5 && days < 90) rfmGroup = 'CHAMPIONS';
  else if (counted.length >= 2 && days < 180) rfmGroup = 'LOYAL';
  else if (counted.length === 1 && days < 90) rfmGroup = 'NEW';
  else if (counted.length >= 2 && days < 365) rfmGroup = 'AT_RISK';
  else if (days >= 365) rfmGroup = 'DORMANT';
  else rfmGroup = 'NEEDS_ATTENTION';
  const spendPerUsd = currency === 'JPY' ? 150 : 1;
  const predictedSpendTier = counted.length === 0 ? null : spentMajor >= 500 * spendPerUsd ? 'HIGH' : spentMajor >= 100 * spendPerUsd ? 'MEDIUM' : 'LOW';
  return { __typename: 'CustomerStatistics', rfmGroup, predictedSpendTier };
}

function metafieldJsonValue(row: MetafieldRow): unknown {
  switch (row.type) {
    case 'number_integer':
      return Number.parseInt(row.value, 10);
    case 'number_decimal':
      return row.value;
    case 'boolean':
      return row.value === 'true';
    case 'json':
      return JSON.parse(row.value) as unknown;
    default:
      return row.value;
  }
}

function bulkView(record: BulkOperationRecord | null): Record<string, unknown> | null {
  if (!record) return null;
  return {
    __typename: 'BulkOperation',
    id: record.id,
    type: record.type,
    status: record.status,
    errorCode: record.errorCode,
    createdAt: record.createdAt,
    completedAt: record.completedAt,
    // UnsignedInt64 is serialized as a string by the Admin API.
    objectCount: String(record.objectCount),
    rootObjectCount: String(record.rootObjectCount),
    fileSize: record.fileSize === null ? null : String(record.fileSize),
    url: record.url,
    partialDataUrl: null,
    query: record.query,
  };
}

function inputArrayTooLarge(size: number, max: number, path: string[]): GraphQLError {
  return new GraphQLError(`The input array size of ${size} is greater than the maximum allowed of ${max}.`, {
    extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED', path },
  });
}

/**
 * `tags` may be a list or one comma-separated string ("one, two"); both are split on commas.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/tagsAdd
 */
function changeTags(deps: ResolverDeps, views: Views, gid: string, rawTags: string[], mode: 'add' | 'remove'): Record<string, unknown> {
  const field = mode === 'add' ? 'tagsAdd' : 'tagsRemove';
  if (rawTags.length > MAX_INPUT_ARRAY) throw inputArrayTooLarge(rawTags.length, MAX_INPUT_ARRAY, [field, 'tags']);
  const parsed = parseGid(gid);
  const row = parsed?.type === 'Customer' ? deps.store.customer(parsed.id) : undefined;
  if (!parsed || !row) return { node: null, userErrors: [{ field: ['id'], message: 'Invalid id' }] };
  const tags = rawTags.flatMap((tag) => tag.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (mode === 'add') {
    const tooLong = tags.find((tag) => tag.length > MAX_TAG_LENGTH);
    if (tooLong) return { node: null, userErrors: [{ field: ['tags'], message: `Tag is too long (maximum is ${MAX_TAG_LENGTH} characters): ${tooLong.slice(0, 40)}…` }] };
  }
  const existing = new Set(row.tags.map((tag) => tag.toLowerCase()));
  const next =
    mode === 'add'
      ? normaliseTagList([...row.tags, ...tags])
      : row.tags.filter((tag) => !tags.some((removed) => removed.toLowerCase() === tag.toLowerCase()));
  if (next.length > MAX_TAGS_PER_RESOURCE) {
    return { node: null, userErrors: [{ field: ['tags'], message: `Tags cannot exceed ${MAX_TAGS_PER_RESOURCE} for a customer` }] };
  }
  const changed = mode === 'add' ? next.filter((tag) => !existing.has(tag.toLowerCase())).length : row.tags.length - next.length;
  const updated =
    changed === 0
      ? row
      : (deps.store.updateCustomer(row.id, (current) => ({ ...current, tags: next, updatedAt: new Date(deps.now()).toISOString() })) as CustomerRow);
  if (mode === 'add') deps.writes.tags_added += changed;
  else deps.writes.tags_removed += changed;
  return { node: views.customer(updated), userErrors: [] };
}

interface MetafieldInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

/** The metafield types the sandbox checks values for; others in this list are stored as given. */
const METAFIELD_TYPES: Record<string, (value: string) => boolean> = {
  single_line_text_field: (value) => !value.includes('\n'),
  multi_line_text_field: () => true,
  number_integer: (value) => /^-?\d+$/.test(value),
  number_decimal: (value) => /^-?\d+(\.\d+)?$/.test(value),
  boolean: (value) => value === 'true' || value === 'false',
  date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value),
  date_time: (value) => !Number.isNaN(Date.parse(value)),
  json: (value) => {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * `metafieldsSet` is atomic: if any input fails validation none is written.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 */
function setMetafields(deps: ResolverDeps, views: Views, inputs: MetafieldInput[]): Record<string, unknown> {
  if (inputs.length > MAX_METAFIELDS_PER_SET) throw inputArrayTooLarge(inputs.length, MAX_METAFIELDS_PER_SET, ['metafieldsSet', 'metafields']);
  const userErrors: { field: string[]; message: string; code: string; elementIndex: number }[] = [];
  inputs.forEach((input, index) => {
    const error = (field: string, code: string, message: string) => userErrors.push({ field: ['metafields', String(index), field], message, code, elementIndex: index });
    const owner = parseGid(input.ownerId);
    if (owner?.type !== 'Customer' || !deps.store.customer(owner.id)) error('ownerId', 'INVALID', 'Owner does not exist.');
    const namespace = input.namespace ?? '$app';
    if (namespace.length < 3) error('namespace', 'TOO_SHORT', 'Namespace is too short (minimum is 3 characters)');
    else if (namespace.length > 255) error('namespace', 'TOO_LONG', 'Namespace is too long (maximum is 255 characters)');
    if (input.key.length < 2) error('key', 'TOO_SHORT', 'Key is too short (minimum is 2 characters)');
    else if (input.key.length > 64) error('key', 'TOO_LONG', 'Key is too long (maximum is 64 characters)');
    else if (!/^[A-Za-z0-9_-]+$/.test(input.key)) error('key', 'INVALID', 'Key contains one or more invalid characters.');
    if (!input.type) error('type', 'BLANK', "Type can't be blank");
    else if (!METAFIELD_TYPES[input.type]) error('type', 'INVALID_TYPE', 'Type is invalid or not supported by the sandbox.');
    else if (!(METAFIELD_TYPES[input.type] as (value: string) => boolean)(input.value)) error('value', 'INVALID_VALUE', `Value is invalid for type ${input.type}.`);
  });
  if (userErrors.length > 0) return { metafields: null, userErrors };

  const now = new Date(deps.now()).toISOString();
  const written = inputs.map((input) => {
    const ownerId = (parseGid(input.ownerId) as { id: string }).id;
    const namespace = input.namespace ?? '$app';
    let row: MetafieldRow | undefined;
    deps.store.updateCustomer(ownerId, (current) => {
      const metafields = new Map(current.metafields);
      const previous = metafields.get(`${namespace}.${input.key}`);
      row = {
        id: previous?.id ?? deps.store.nextMetafieldId(),
        namespace,
        key: input.key,
        type: input.type as string,
        value: input.value,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      metafields.set(`${namespace}.${input.key}`, row);
      return { ...current, metafields };
    });
    return views.metafield(row as MetafieldRow, ownerId);
  });
  deps.writes.metafields_set += written.length;
  return { metafields: written, userErrors: [] };
}

interface StagedUploadInput {
  filename: string;
  mimeType: string;
  resource: string;
  httpMethod?: 'POST' | 'PUT' | null;
}

function createStagedUploads(deps: ResolverDeps, inputs: StagedUploadInput[]): Record<string, unknown> {
  const userErrors: { field: string[]; message: string }[] = [];
  const stagedTargets = inputs.map((input, index) => {
    if (input.resource !== 'BULK_MUTATION_VARIABLES') {
      userErrors.push({ field: ['input', String(index), 'resource'], message: `The sandbox only stages BULK_MUTATION_VARIABLES uploads, not ${input.resource}.` });
      return null;
    }
    return deps.uploads().createTarget({ filename: input.filename, mimeType: input.mimeType, httpMethod: input.httpMethod ?? 'PUT' });
  });
  if (userErrors.length > 0) return { stagedTargets: null, userErrors };
  return { stagedTargets, userErrors };
}
