/**
 * The service's error vocabulary. Every handled failure is an http-errors
 * instance with `expose = true`; the envelope middleware renders its message
 * in ngshare's `{"success": false, "message": ...}` shape. Nothing decides a
 * status by matching message text.
 */
import createHttpError, { HttpError } from 'http-errors';

export type { HttpError };

export const badRequest = (message: string): HttpError => createHttpError(400, message);
export const unauthorized = (message: string): HttpError => createHttpError(401, message);
export const forbidden = (message: string): HttpError => createHttpError(403, message);
export const notFound = (message: string): HttpError => createHttpError(404, message);
export const methodNotAllowed = (message = 'Method not allowed'): HttpError =>
  createHttpError(405, message);
export const conflict = (message: string): HttpError => createHttpError(409, message);
export const payloadTooLarge = (message: string): HttpError => createHttpError(413, message);
export const serviceUnavailable = (message: string): HttpError =>
  createHttpError(503, message, { expose: true });

export function isHttpError(err: unknown): err is HttpError {
  return createHttpError.isHttpError(err);
}

/** Raised by stores when a unique constraint rejects a row. Services translate it. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`);
    this.name = 'UniqueViolation';
  }
}

const DB_UNAVAILABLE = new Set([
  // connection refused, reset, timed out, unresolvable
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  // PostgreSQL: connection exceptions, too many connections, shutting down, statement timeout
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  // SQLite: another process holds the database for longer than busy_timeout
  'SQLITE_BUSY',
  'SQLITE_LOCKED'
]);
const STORAGE_FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const DB_UNAVAILABLE_MESSAGES =
  /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Knex: Timeout acquiring a connection/;

/**
 * Outages as answers a client can act on: an unreachable or frozen database
 * is a 503 with Retry-After, a full disk a 507; anything else stays a bug
 * (500). Nothing was saved in either case: writes happen in transactions.
 */
export function classifyOutage(err: unknown): HttpError | undefined {
  for (
    let e = err as
        { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (STORAGE_FULL.has(code)) {
      return createHttpError(
        507,
        "The server's storage is full, so nothing was saved; ask the administrator to free space"
      );
    }
    if (
      DB_UNAVAILABLE.has(code) ||
      e.name === 'KnexTimeoutError' ||
      (typeof e.message === 'string' && DB_UNAVAILABLE_MESSAGES.test(e.message))
    ) {
      return createHttpError(
        503,
        'The database is not reachable right now, so nothing was saved; try again in a few seconds',
        { headers: { 'Retry-After': '10' } }
      );
    }
  }
  return undefined;
}
