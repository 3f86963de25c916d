/**
 * HTTP/1.1 on a bare socket, for requests no well-behaved client sends:
 * bodies cut off mid-way, declared lengths never delivered, trickled bytes.
 * A string or Buffer body gets its Content-Length unless one is given.
 * Resolves with the parsed answer, or `{status: 0}` when the server closed
 * without one.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** ms from the first byte sent to the first byte of the answer */
  answeredAfterMs: number;
}

export interface RawRequest {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as given; then the socket stays open for the answer. */
  body?: Buffer | string | AsyncIterable<Buffer>;
  /** The client goes away this long after sending (the answer is then `status: 0`). */
  hangUpAfterMs?: number;
  /** Give up (and destroy the socket) after this long; default 30 s. */
  timeoutMs?: number;
}

export function rawRequest(req: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(req.port, '127.0.0.1');
    const started = Date.now();
    let firstByte = -1;
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${req.timeoutMs ?? 30000} ms`));
    }, req.timeoutMs ?? 30_000);
    socket.on('data', chunk => {
      if (firstByte < 0) {
        firstByte = Date.now() - started;
      }
      chunks.push(chunk);
      const answer = parse(Buffer.concat(chunks), firstByte, false, req.method === 'HEAD');
      if (answer) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', () => undefined); // a reset while we still send: the answer decides
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(
        parse(Buffer.concat(chunks), firstByte, true, req.method === 'HEAD') ?? {
          status: 0,
          headers: {},
          body: '',
          answeredAfterMs: firstByte
        }
      );
    });
    socket.on('connect', async () => {
      const headers = { ...(req.headers ?? {}) };
      const known = typeof req.body === 'string' || Buffer.isBuffer(req.body);
      if (known && !Object.keys(headers).some(h => h.toLowerCase() === 'content-length')) {
        headers['Content-Length'] = String(Buffer.byteLength(req.body as string | Buffer));
      }
      const head =
        `${req.method} ${req.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n';
      socket.write(head);
      const body = req.body;
      try {
        if (typeof body === 'string' || Buffer.isBuffer(body)) {
          socket.write(body);
        } else if (body) {
          for await (const part of body) {
            if (socket.destroyed) {
              break;
            }
            if (!socket.write(part)) {
              await new Promise(r => socket.once('drain', r));
            }
          }
        }
      } catch {
        // the server closed on us: the answer (if any) is already in
      }
      if (req.hangUpAfterMs !== undefined) {
        setTimeout(() => socket.destroy(), req.hangUpAfterMs);
      }
    });
  });
}

/** A HEAD answer ends with its headers: its Content-Length describes a body never sent. */
function parse(
  data: Buffer,
  firstByte: number,
  final = false,
  headOnly = false
): RawAnswer | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) {
    return undefined;
  }
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = data.subarray(end + 4);
  const length = headOnly ? 0 : Number(headers['content-length'] ?? NaN);
  if (Number.isFinite(length)) {
    return body.length >= length
      ? { status, headers, body: body.subarray(0, length).toString(), answeredAfterMs: firstByte }
      : undefined;
  }
  return final ? { status, headers, body: body.toString(), answeredAfterMs: firstByte } : undefined;
}

/** `count` chunks of `size` bytes of `byte`, generated as sent (nothing big in memory). */
export async function* repeated(byte: string, size: number, count: number): AsyncIterable<Buffer> {
  const chunk = Buffer.alloc(size, byte);
  for (let i = 0; i < count; i++) {
    yield chunk;
  }
}
