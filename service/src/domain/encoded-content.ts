/**
 * A file's bytes as ngshare's answers carry them: MIME base64 (as Python's
 * base64.encodebytes: 76-character lines, each ending in a newline) inside a
 * JSON string. Large files are encoded only as an answer is written
 * (http/body/json-stream.ts); small ones once, so the encoding can be kept
 * and reused by every later answer that carries the same bytes.
 */
import { encodeBase64Mime } from './base64';

/** A multiple of 57 bytes (one 76-character line), so that pieces end at line breaks. */
const PIECE_BYTES = 57 * 16 * 1024;

export class EncodedContent {
  private constructor(
    private readonly data: Buffer | undefined,
    /** The JSON string's characters without its quotes, as ASCII bytes. */
    readonly encoded: Buffer | undefined
  ) {}

  /** Encoded piece by piece as the answer is written: memory of a piece, not of the file. */
  static lazy(data: Buffer): EncodedContent {
    return new EncodedContent(data, undefined);
  }

  /** Encoded now, whole: `encoded` can be kept and handed to `reuse`. */
  static eager(data: Buffer): EncodedContent {
    return new EncodedContent(undefined, Buffer.from(encodeBase64Mime(data, '\\n'), 'latin1'));
  }

  /** An encoding made earlier by `eager`. */
  static reuse(encoded: Buffer): EncodedContent {
    return new EncodedContent(undefined, encoded);
  }

  /** The JSON string's characters without its quotes, piece by piece. */
  *jsonPieces(): Generator<string | Buffer> {
    if (this.encoded) {
      yield this.encoded;
      return;
    }
    const data = this.data!;
    for (let at = 0; at < data.length; at += PIECE_BYTES) {
      yield encodeBase64Mime(data.subarray(at, at + PIECE_BYTES), '\\n');
    }
  }

  /** Length of `jsonPieces()` joined, without building it: base64, and `\n` (2 bytes) a line. */
  get jsonLength(): number {
    if (this.encoded) {
      return this.encoded.length;
    }
    const chars = 4 * Math.ceil(this.data!.length / 3);
    return chars + 2 * Math.ceil(chars / 76);
  }

  /** The content as a string, for anything that stringifies the answer whole. */
  toJSON(): string {
    return this.encoded
      ? this.encoded.toString('latin1').replaceAll('\\n', '\n')
      : encodeBase64Mime(this.data!);
  }
}
