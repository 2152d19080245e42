import { redact } from './redact.ts';

/**
 * One line about a failed request's error for a message: its name, message and the low-level
 * code of its cause (ECONNRESET, UND_ERR_SOCKET, …), with secrets redacted.
 *
 * @example
 * describeError(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })) // 'TypeError: fetch failed (ECONNRESET)'
 */
export function describeError(error: unknown, secrets: readonly string[] = []): string {
  if (!(error instanceof Error)) return redact(String(error), secrets);
  const cause = error.cause as { code?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return redact(`${error.name}: ${error.message}${code}`, secrets);
}
