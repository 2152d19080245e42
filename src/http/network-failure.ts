/** What Node puts on a socket error (`ECONNREFUSED`, `ENOTFOUND`, …). */
interface SocketError {
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
}

/**
 * One line naming why a request got no answer: the errno code, its number, and the address it
 * tried, from the socket error however deep it sits (axios's own error, undici's `cause`, or the
 * first of an AggregateError's attempts, which Node's happy-eyeballs connect throws with an empty
 * message). "connection refused" without an address tells nobody which setting is wrong.
 *
 * @example
 * networkFailure(Object.assign(new Error(''), { code: 'ECONNREFUSED', errno: -111, address: '127.0.0.1', port: 9 }));
 * // 'ECONNREFUSED (errno -111) connecting to 127.0.0.1:9'
 */
export function networkFailure(error: unknown): string {
  const socket = findSocketError(error, 0);
  if (!socket) return error instanceof Error && error.message ? error.message : 'network error';
  const code = String(socket.code);
  const errno = typeof socket.errno === 'number' ? ` (errno ${socket.errno})` : '';
  const host = typeof socket.address === 'string' ? socket.address : typeof socket.hostname === 'string' ? socket.hostname : null;
  const where = host === null ? '' : ` ${socket.syscall === 'getaddrinfo' ? 'looking up' : 'connecting to'} ${host}${socket.port !== undefined ? `:${String(socket.port)}` : ''}`;
  return `${code}${errno}${where}`;
}

function findSocketError(error: unknown, depth: number): SocketError | null {
  if (error === null || typeof error !== 'object' || depth > 4) return null;
  const candidate = error as SocketError & { cause?: unknown; errors?: unknown };
  if (typeof candidate.code === 'string' && /^E[A-Z]+$/.test(candidate.code) && (candidate.address !== undefined || candidate.hostname !== undefined || candidate.errno !== undefined)) {
    return candidate;
  }
  const nested = [candidate.cause, ...(Array.isArray(candidate.errors) ? candidate.errors : [])];
  for (const inner of nested) {
    const found = findSocketError(inner, depth + 1);
    if (found) return found;
  }
  return typeof candidate.code === 'string' && /^E[A-Z]+$/.test(candidate.code) ? candidate : null;
}
