import { describeError } from '../http/describe-error.ts';
import { ApiError, RetriableError, ThrottledError } from '../errors.ts';
import { retryDelayMs, withRetry, type RetryOptions } from '../http/retry.ts';

export interface FileTransferDeps {
  readonly fetch: typeof fetch;
  readonly retry: RetryOptions;
  /** A download fails when no byte arrives for this long; an upload when it takes this long. */
  readonly timeoutMs: number;
}

export interface FormUpload {
  /** Form fields sent before the file, in order (a staged upload's `parameters`). */
  readonly fields: readonly { readonly name: string; readonly value: string }[];
  readonly filename: string;
  readonly mimeType: string;
  readonly content: string;
}

export interface FileTransfer {
  /**
   * Streams a text file line by line (empty lines skipped). A connection lost midway is
   * reopened and the lines already yielded are skipped, so each line is yielded exactly once.
   */
  lines(url: string, operation: string): AsyncGenerator<string>;
  /** Sends a multipart/form-data POST (a staged upload), retrying retriable failures. */
  postForm(url: string, upload: FormUpload, operation: string): Promise<void>;
}

/**
 * Downloads and uploads of bulk-operation files. These URLs are signed storage URLs handed out
 * by the API (the bulk result `url`, a staged upload target), so no access token is sent.
 *
 * @example
 * for await (const line of transfer.lines(operation.url, 'orders bulk query result')) handle(JSON.parse(line));
 */
export function createFileTransfer(deps: FileTransferDeps): FileTransfer {
  return {
    async *lines(url: string, operation: string): AsyncGenerator<string> {
      let yielded = 0;
      for (let attempt = 1; ; attempt++) {
        let seen = 0;
        try {
          for await (const line of readLines(deps, url, operation)) {
            seen++;
            if (seen <= yielded) continue;
            yielded++;
            yield line;
          }
          return;
        } catch (error) {
          if (!(error instanceof RetriableError) || attempt >= deps.retry.maxAttempts) throw error;
          const delayMs = retryDelayMs(error, attempt, deps.retry);
          deps.retry.onRetry?.(error, attempt, delayMs);
          await deps.retry.sleep(delayMs);
        }
      }
    },

    async postForm(url: string, upload: FormUpload, operation: string): Promise<void> {
      await withRetry(async () => {
        const form = new FormData();
        for (const field of upload.fields) form.append(field.name, field.value);
        form.append('file', new Blob([upload.content], { type: upload.mimeType }), upload.filename);
        let response: Response;
        try {
          response = await deps.fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(deps.timeoutMs) });
        } catch (error) {
          throw new RetriableError(`upload to ${hostOf(url)} failed: ${describeError(error)}`, { service: 'shopify', operation, cause: error });
        }
        const text = await response.text().catch(() => '');
        checkStatus(response, url, operation, text);
      }, deps.retry);
    },
  };
}

async function* readLines(deps: FileTransferDeps, url: string, operation: string): AsyncGenerator<string> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  const details = { service: 'shopify' as const, operation };
  try {
    let response: Response;
    try {
      response = await deps.fetch(url, { signal: controller.signal });
    } catch (error) {
      throw new RetriableError(`download from ${hostOf(url)} failed: ${describeError(error)}`, { ...details, cause: error });
    }
    if (!response.ok || !response.body) {
      checkStatus(response, url, operation, await response.text().catch(() => ''));
      throw new RetriableError(`download from ${hostOf(url)} has no body`, details);
    }
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let pending = '';
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new RetriableError(`download from ${hostOf(url)} broke off: ${describeError(error)}`, { ...details, cause: error });
      }
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), deps.timeoutMs);
      if (chunk.done) break;
      pending += decoder.decode(chunk.value, { stream: true });
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) if (part.trim() !== '') yield part;
    }
    pending += decoder.decode();
    if (pending.trim() !== '') yield pending;
  } finally {
    clearTimeout(timer);
  }
}

function checkStatus(response: Response, url: string, operation: string, text: string): void {
  const status = response.status;
  const details = { service: 'shopify' as const, operation, status };
  if (status >= 200 && status < 300) return;
  const message = `HTTP ${status} from ${hostOf(url)}: ${text.slice(0, 200)}`;
  if (status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    throw new ThrottledError(message, details, Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000);
  }
  if (status >= 500) throw new RetriableError(message, details);
  throw new ApiError(message, details);
}

/** Signed URLs carry credentials in their query string: only the origin goes into messages. */
function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the file URL';
  }
}
