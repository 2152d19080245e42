import { z } from 'zod';
import { ResponseShapeError } from '../errors.ts';

/**
 * The envelope of every Admin GraphQL response: `data`, `errors` and `extensions.cost`.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (cost and throttleStatus)
 */
export const throttleStatusSchema = z.object({
  maximumAvailable: z.number().positive(),
  currentlyAvailable: z.number().nonnegative(),
  restoreRate: z.number().nonnegative(),
});

export const queryCostSchema = z.object({
  requestedQueryCost: z.number().nonnegative(),
  actualQueryCost: z.number().nonnegative().nullable(),
  throttleStatus: throttleStatusSchema,
});

export type QueryCost = z.infer<typeof queryCostSchema>;

export const graphqlErrorSchema = z.object({
  message: z.string(),
  extensions: z.object({ code: z.string().optional() }).loose().optional(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
});

export type GraphqlError = z.infer<typeof graphqlErrorSchema>;

export const graphqlEnvelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z.array(graphqlErrorSchema).optional(),
  extensions: z.object({ cost: queryCostSchema.optional() }).loose().optional(),
});

export type GraphqlEnvelope = z.infer<typeof graphqlEnvelopeSchema>;

/**
 * Validates `value` with `schema`, or throws a ResponseShapeError naming the operation and the
 * first path that failed.
 *
 * @example
 * parseShape(z.object({ id: z.string() }), body, 'customers page') // { id: '...' } or throws
 */
export function parseShape<T>(schema: z.ZodType<T>, value: unknown, operation: string, where = 'data'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [where, ...(issue?.path ?? [])].map(String).join('.');
  throw new ResponseShapeError(`unexpected response shape at ${path}: ${issue?.message ?? 'invalid'}`, {
    service: 'shopify',
    operation,
    cause: result.error,
  });
}
