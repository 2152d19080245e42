/**
 * Staged upload targets for bulk mutation variables, served by the sandbox itself in place of
 * Shopify's cloud storage bucket. `stagedUploadsCreate` hands out a URL and form parameters; the
 * client POSTs a multipart form (the parameters, then the file) or PUTs the file, and passes the
 * `key` parameter as `stagedUploadPath` to `bulkOperationRunMutation`.
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 */

export interface StagedUploadTarget {
  url: string;
  resourceUrl: string | null;
  parameters: { name: string; value: string }[];
}

/** What the `stagedUploadsCreate` resolver may ask. */
export interface StagedUploadsPort {
  createTarget(input: { filename: string; mimeType: string; httpMethod: 'POST' | 'PUT' }): StagedUploadTarget;
}

export const STAGED_UPLOADS_PATH = '/__staged-uploads';

export interface StagedUploads extends StagedUploadsPort {
  /** Stores an upload for a key a target was created for; false for an unknown key. */
  receive(key: string, content: Buffer): boolean;
  content(key: string): Buffer | undefined;
  /** Forgets an upload (and its target): a later bulk mutation naming it finds no file. */
  release(key: string): void;
  reset(): void;
}

/**
 * @example
 * const uploads = createStagedUploads({ baseUrl: () => 'http://127.0.0.1:4000' });
 * const target = uploads.createTarget({ filename: 'vars.jsonl', mimeType: 'text/jsonl', httpMethod: 'POST' });
 */
export function createStagedUploads(deps: { baseUrl: () => string }): StagedUploads {
  const files = new Map<string, Buffer | null>();
  let sequence = 0;
  return {
    createTarget({ filename, mimeType, httpMethod }): StagedUploadTarget {
      sequence += 1;
      const key = `tmp/sandbox/bulk/${String(sequence).padStart(8, '0')}/${filename.replace(/[^A-Za-z0-9._-]/g, '_')}`;
      files.set(key, null);
      if (httpMethod === 'PUT') {
        return {
          url: `${deps.baseUrl()}${STAGED_UPLOADS_PATH}/${encodeURIComponent(key)}`,
          resourceUrl: null,
          parameters: [
            { name: 'content_type', value: mimeType },
            { name: 'acl', value: 'private' },
          ],
        };
      }
      return {
        url: `${deps.baseUrl()}${STAGED_UPLOADS_PATH}/`,
        resourceUrl: null,
        parameters: [
          { name: 'key', value: key },
          { name: 'Content-Type', value: mimeType },
          { name: 'success_action_status', value: '201' },
          { name: 'acl', value: 'private' },
        ],
      };
    },
    receive(key, content) {
      if (!files.has(key)) return false;
      files.set(key, content);
      return true;
    },
    content: (key) => files.get(key) ?? undefined,
    release(key) {
      files.delete(key);
    },
    reset() {
      files.clear();
    },
  };
}

/**
 * Parses a `multipart/form-data` body into its named parts. Throws naming what is malformed.
 *
 * @example
 * parseMultipartForm(body, 'multipart/form-data; boundary=XyZ').get('key')?.toString();
 */
export function parseMultipartForm(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) throw new Error('multipart body: the Content-Type header has no boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, Buffer>();
  let position = body.indexOf(delimiter);
  if (position < 0) throw new Error('multipart body: no part starts with the boundary');
  while (position >= 0) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error('multipart body: the closing boundary is missing');
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new Error('multipart body: a part has no header/body separator');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw new Error('multipart body: a part has no name in Content-Disposition');
    parts.set(name, part.subarray(headerEnd + 4));
    position = next;
  }
  return parts;
}
