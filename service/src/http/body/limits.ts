/** Size limits of request bodies and the 413s that name them. */
import { payloadTooLarge } from '../../errors';

/** Form fields other than `files` are kept in memory: together at most this much. */
export const MAX_FIELD_BYTES = 64 * 1024 * 1024;

/**
 * A multipart field arrives whole as one string (busboy), and V8 strings end
 * near 512 MiB: `files` sent as multipart stays below this.
 */
export const MAX_MULTIPART_FIELD_BYTES = 256 * 1024 * 1024;

export function describeLimit(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

export const bodyTooLarge = (limit: number) =>
  payloadTooLarge(
    `Request body is larger than this server accepts (${describeLimit(limit)}); ` +
      'send fewer or smaller files'
  );

export const fieldsTooLarge = () =>
  payloadTooLarge(
    `Form fields other than files may take at most ${describeLimit(MAX_FIELD_BYTES)} together`
  );

export const multipartFieldTooLarge = () =>
  payloadTooLarge(
    `A multipart form field may be at most ${describeLimit(MAX_MULTIPART_FIELD_BYTES)}; ` +
      'send large uploads urlencoded'
  );
