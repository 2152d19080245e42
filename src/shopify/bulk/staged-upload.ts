import { z } from 'zod';
import { ApiError } from '../../errors.ts';
import type { ShopifyClient } from '../client.ts';

/** Asks for an upload target for the JSONL of a bulk mutation's variables. */
export const STAGED_UPLOADS_CREATE_MUTATION = `mutation StagedUploadsCreate($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}`;

const payloadSchema = z.object({
  stagedUploadsCreate: z.object({
    stagedTargets: z.array(
      z.object({
        url: z.string().nullable(),
        resourceUrl: z.string().nullable(),
        parameters: z.array(z.object({ name: z.string(), value: z.string() })),
      }),
    ).nullable(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() })),
  }),
});

/**
 * Uploads a JSONL file of mutation variables: `stagedUploadsCreate` for a
 * `BULK_MUTATION_VARIABLES` target, then a multipart POST of its parameters and the file.
 * Returns the staged upload path that `bulkOperationRunMutation` takes: the `key` parameter.
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 *
 * @example
 * const path = await uploadBulkVariables(client, '{"id":"gid://shopify/Customer/1","tags":["vip"]}\n', 'bulk tagsAdd');
 */
export async function uploadBulkVariables(client: ShopifyClient, jsonl: string, operation: string): Promise<string> {
  const filename = 'tiersync-bulk-variables.jsonl';
  const { stagedUploadsCreate: payload } = await client.request({
    operation: `${operation} staged upload`,
    document: STAGED_UPLOADS_CREATE_MUTATION,
    variables: {
      input: [{ resource: 'BULK_MUTATION_VARIABLES', filename, mimeType: 'text/jsonl', httpMethod: 'POST' }],
    },
    estimatedCost: 10,
    data: payloadSchema,
  });
  const target = payload.stagedTargets?.[0];
  const key = target?.parameters.find((parameter) => parameter.name === 'key')?.value;
  if (payload.userErrors.length > 0 || !target?.url || !key) {
    const messages = payload.userErrors.map((error) => error.message).join('; ');
    throw new ApiError(`no staged upload target${messages ? `: ${messages}` : ' (no url or key parameter)'}`, {
      service: 'shopify',
      operation,
    });
  }
  await client.files.postForm(target.url, { fields: target.parameters, filename, mimeType: 'text/jsonl', content: jsonl }, `${operation} upload`);
  return key;
}
