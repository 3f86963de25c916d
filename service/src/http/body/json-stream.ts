/**
 * ngshare's v1 answers carry file contents as base64 inside one JSON body. Built
 * with JSON.stringify, a 190 MiB file costs its base64 string, the JSON string
 * and the response buffer at once (over 6× its size). Services hand contents
 * over as bytes (`EncodedContent`) and this writes the answer piece by piece,
 * encoding as it goes: the same bytes on the wire, a small multiple of the
 * files' size in memory. The bytes are read before the answer starts, so a
 * failing read still gets a proper error answer.
 */
import { Readable } from 'node:stream';
import { EncodedContent } from '../../domain/encoded-content';

type Piece = string | EncodedContent;

/** The answer as pieces: JSON text, and contents to be encoded in place. */
function pieces(value: unknown, out: Piece[]): void {
  if (value instanceof EncodedContent) {
    out.push('"', value, '"');
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) {
        out.push(',');
      }
      pieces(item, out);
    });
    out.push(']');
  } else if (value !== null && typeof value === 'object') {
    out.push('{');
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) {
        continue;
      }
      out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      pieces(item, out);
    }
    out.push('}');
  } else {
    out.push(JSON.stringify(value));
  }
}

/**
 * The body for an answer: the object itself (Koa stringifies it) unless its `files` carry
 * contents (the only place v1 answers have them), then a stream of the same JSON and its
 * exact length.
 */
export function jsonAnswer(
  answer: Record<string, unknown>
): { stream: Readable; length: number } | undefined {
  const files = answer.files;
  if (!Array.isArray(files) || !files.some(f => f?.content instanceof EncodedContent)) {
    return undefined;
  }
  const parts: Piece[] = [];
  pieces(answer, parts);
  const length = parts.reduce(
    (n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) : p.jsonLength),
    0
  );
  function* text(): Generator<string | Buffer> {
    let small = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        small += p;
        continue;
      }
      yield small;
      small = '';
      yield* p.jsonPieces();
    }
    yield small;
  }
  return { stream: Readable.from(text(), { objectMode: false }), length };
}
