/**
 * The context every execution of the Admin schema carries. In a bulk query the root connection
 * is paged by the bulk runner (its page and where it got to live here) and nested connections are
 * returned whole; an ordinary request has no bulk state.
 */
import type { PageArgs } from '../pagination.ts';

export interface BulkPaging {
  rootPage: PageArgs;
  endCursor: string | null;
  hasNextPage: boolean;
  rootCount: number;
}

export interface ExecutionState {
  bulk: BulkPaging | null;
}

/** A field's arguments as graphql-js hands them to a resolver. */
export type Args = Record<string, unknown>;
