/**
 * Records every response a test service sends, as bytes on the wire, so that
 * a suite can check them against docs/openapi.yaml at its end (see
 * openapi.ts). Jest gives every test file its own module registry, so the
 * record is per file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RecordedResponse {
  method: string;
  /** The raw request target, still percent-encoded. */
  url: string;
  prefix: string;
  status: number;
  contentType: string;
  /** Undefined when the body was too large to keep. */
  body: Buffer | undefined;
}

const MAX_KEPT_BODY = 4 * 1024 * 1024;

export const recordedResponses: RecordedResponse[] = [];

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export function recordingHandler(handler: Handler, prefix: string): Handler {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') {
        return;
      }
      const buf = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(
            chunk as string,
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'
          );
      size += buf.length;
      if (size <= MAX_KEPT_BODY) {
        chunks.push(buf);
      }
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      recordedResponses.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        prefix,
        status: res.statusCode,
        contentType: String(res.getHeader('content-type') ?? ''),
        body: size <= MAX_KEPT_BODY ? Buffer.concat(chunks) : undefined
      });
      return end(...args);
    }) as typeof res.end;
    return handler(req, res);
  };
}
