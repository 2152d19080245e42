/**
 * The two cloud-storage stand-ins the sandbox serves itself: the staged upload target (POST
 * multipart form or PUT, answering like the storage bucket with XML) and the bulk result files.
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BulkOperations } from '../bulk/bulk-operations.ts';
import { parseMultipartForm, STAGED_UPLOADS_PATH } from '../uploads/staged-uploads.ts';
import type { StagedUploads } from '../uploads/staged-uploads.ts';
import { readBody } from './read-body.ts';
import { notFound } from './shopify-http-errors.ts';

/** Bulk mutation variable files may be up to 100 MB (https://shopify.dev/changelog/faster-bulk-operations). */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface FileEndpoints {
  /** Returns the status answered. */
  upload(request: IncomingMessage, response: ServerResponse, pathKey: string): Promise<number>;
  bulkResult(response: ServerResponse, numericId: string): number;
}

/** @example const files = createFileEndpoints({ uploads, bulk, baseUrl: () => base }); */
export function createFileEndpoints(deps: { uploads: StagedUploads; bulk: BulkOperations; baseUrl: () => string }): FileEndpoints {
  return {
    async upload(request, response, pathKey) {
      const body = await readBody(request, MAX_UPLOAD_BYTES);
      let key: string;
      let content: Buffer;
      if (request.method === 'PUT' && pathKey !== '') {
        key = decodeURIComponent(pathKey);
        content = body;
      } else if (request.method === 'POST') {
        let form: Map<string, Buffer>;
        try {
          form = parseMultipartForm(body, request.headers['content-type'] ?? '');
        } catch (error) {
          return sendXml(response, 400, 'InvalidArgument', (error as Error).message);
        }
        key = form.get('key')?.toString('utf8') ?? '';
        content = form.get('file') ?? Buffer.alloc(0);
      } else {
        return sendXml(response, 405, 'MethodNotAllowed', 'Use POST (multipart form) or PUT.');
      }
      if (!deps.uploads.receive(key, content)) return sendXml(response, 403, 'AccessDenied', `No staged upload target was created for key "${key}".`);
      response.writeHead(201, { 'content-type': 'application/xml' });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>${deps.baseUrl()}${STAGED_UPLOADS_PATH}/${encodeURIComponent(key)}</Location><Key>${escapeXml(key)}</Key></PostResponse>`,
      );
      return 201;
    },
    bulkResult(response, numericId) {
      const file = deps.bulk.resultFile(numericId);
      if (!file) throw notFound();
      response.writeHead(200, { 'content-type': 'application/jsonl' });
      createReadStream(file).pipe(response);
      return 200;
    },
  };
}

/** Cloud storage answers errors in XML (`<Error><Code>…</Code><Message>…</Message></Error>`). */
function sendXml(response: ServerResponse, status: number, code: string, message: string): number {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`);
  return status;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
