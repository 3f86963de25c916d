/**
 * Errors thrown by the service client. Every failure of a request becomes one of these, carrying
 * words a person can act on: the server's own `message` when there is one.
 */

/** Base class: something went wrong talking to the exchange service. */
export class ServiceError extends Error {
  constructor(
    message: string,
    /** HTTP status, 0 when there was no HTTP answer at all. */
    readonly status: number,
    /** The URL that was requested (never includes the token). */
    readonly url: string
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The request never got an HTTP answer: DNS, connection refused, CORS, offline, aborted. */
export class NetworkError extends ServiceError {
  constructor(
    url: string,
    readonly cause?: unknown
  ) {
    super(`Could not reach the exchange service at ${url}`, 0, url);
    this.name = 'NetworkError';
  }
}

/**
 * The answer was not the JSON envelope: a login page, a proxy error page, a 404 from the hub
 * because the service is not configured under that URL, an HTML 500.
 */
export class InvalidResponseError extends ServiceError {
  constructor(
    status: number,
    url: string,
    /** First characters of the body, for the details view. */
    readonly bodySnippet: string,
    /** True when the request was redirected away from the service (typically to a login page). */
    readonly redirected: boolean
  ) {
    super(
      redirected
        ? `The exchange service redirected the request (HTTP ${status}); you may need to log in again.`
        : `The exchange service answered HTTP ${status} without a JSON body.`,
      status,
      url
    );
    this.name = 'InvalidResponseError';
  }
}

/** The service answered with `{success: false, message}`. `message` is the server's text. */
export class ResponseError extends ServiceError {
  constructor(status: number, url: string, message: string) {
    super(message || `Request failed with HTTP ${status}`, status, url);
    this.name = 'ResponseError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isPermissionDenied(): boolean {
    return this.status === 403 || /^Permission denied/.test(this.message);
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  /** The exchange refused a submission because its hard deadline has passed (ngshare-ts v2). */
  get isDeadlineClosed(): boolean {
    return this.status === 403 && /closed at its hard deadline/.test(this.message);
  }
}

/** True when the error says the service refused our credentials (or sent us to a login page). */
export function isAuthError(err: unknown): boolean {
  if (err instanceof InvalidResponseError) {
    return err.redirected || err.status === 401 || err.status === 403;
  }
  return (
    err instanceof ServiceError &&
    (err.status === 401 || err.status === 403) &&
    !(
      err instanceof ResponseError &&
      (/^Permission denied/.test(err.message) || err.isDeadlineClosed)
    )
  );
}

/** A message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    return err.message;
  }
  return String(err);
}
