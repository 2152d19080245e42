/**
 * The sandbox shop's customer segments and customer metafield definitions (what tiersync's
 * activation creates), kept beside the shop's customers and orders and emptied by `reset()`.
 */

export interface SegmentRow {
  id: string;
  name: string;
  query: string;
  creationDate: string;
  lastEditDate: string;
}

export interface MetafieldDefinitionRow {
  id: string;
  ownerType: 'CUSTOMER';
  namespace: string;
  key: string;
  type: string;
  name: string;
  description: string | null;
  adminFilterable: boolean;
  pinned: boolean;
}

export type ActivationStore = ReturnType<typeof createActivationStore>;

/** First numeric ids, in ranges of their own like the shop's other resources. */
const FIRST_SEGMENT_ID = 5_100_000_001;
const FIRST_DEFINITION_ID = 5_200_000_001;

/**
 * @example
 * const activation = createActivationStore();
 * activation.addSegment({ name: 'tiersync: VIP', query: "customer_tags CONTAINS 'ltv:vip'" }, new Date().toISOString()).id; // '5100000001'
 */
export function createActivationStore() {
  let segments = new Map<string, SegmentRow>();
  let definitions = new Map<string, MetafieldDefinitionRow>();
  let segmentSequence = 0;
  let definitionSequence = 0;
  return {
    segments: (): SegmentRow[] => [...segments.values()],
    segment: (id: string): SegmentRow | undefined => segments.get(id),
    segmentNamed: (name: string): SegmentRow | undefined => [...segments.values()].find((row) => row.name === name),
    addSegment(input: { name: string; query: string }, at: string): SegmentRow {
      const row = { id: String(FIRST_SEGMENT_ID + segmentSequence++), ...input, creationDate: at, lastEditDate: at };
      segments.set(row.id, row);
      return row;
    },
    updateSegment(id: string, change: { name?: string; query?: string }, at: string): SegmentRow {
      const row = { ...(segments.get(id) as SegmentRow), ...change, lastEditDate: at };
      segments.set(id, row);
      return row;
    },
    deleteSegment: (id: string): boolean => segments.delete(id),
    definitions: (): MetafieldDefinitionRow[] => [...definitions.values()],
    definition: (namespace: string, key: string): MetafieldDefinitionRow | undefined =>
      [...definitions.values()].find((row) => row.namespace === namespace && row.key === key),
    addDefinition(input: Omit<MetafieldDefinitionRow, 'id'>): MetafieldDefinitionRow {
      const row = { id: String(FIRST_DEFINITION_ID + definitionSequence++), ...input };
      definitions.set(row.id, row);
      return row;
    },
    updateDefinition(id: string, change: Partial<Pick<MetafieldDefinitionRow, 'name' | 'description' | 'adminFilterable'>>): MetafieldDefinitionRow {
      const row = { ...(definitions.get(id) as MetafieldDefinitionRow), ...change };
      definitions.set(id, row);
      return row;
    },
    /** `namespace.key` of every definition, for segment queries on metafields. */
    definedKeys: (): Set<string> => new Set([...definitions.values()].map((row) => `${row.namespace}.${row.key}`)),
    reset(): void {
      segments = new Map();
      definitions = new Map();
      segmentSequence = 0;
      definitionSequence = 0;
    },
  };
}
