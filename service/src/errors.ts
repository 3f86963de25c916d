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
export const serviceUnavailable = (message: string): HttpError => createHttpError(503, message);

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
