/**
 * A file's bytes as ngshare's answers carry them: MIME base64 (as Python's
 * base64.encodebytes: 76-character lines, each ending in a newline) inside a
 * JSON string. Encoded only as an answer is written (http/body/json-stream.ts).
 */
import { encodeBase64Mime } from './base64';

/** A multiple of 57 bytes (one 76-character line), so that pieces end at line breaks. */
const PIECE_BYTES = 57 * 16 * 1024;

export class EncodedContent {
  constructor(readonly data: Buffer) {}

  /** The JSON string's characters without its quotes, piece by piece. */
  *jsonPieces(): Generator<string> {
    for (let at = 0; at < this.data.length; at += PIECE_BYTES) {
      yield encodeBase64Mime(this.data.subarray(at, at + PIECE_BYTES), '\\n');
    }
  }

  /** Length of `jsonPieces()` joined, without building it: base64, and `\n` (2 bytes) a line. */
  get jsonLength(): number {
    const chars = 4 * Math.ceil(this.data.length / 3);
    return chars + 2 * Math.ceil(chars / 76);
  }

  /** The content as a string, for anything that stringifies the answer whole. */
  toJSON(): string {
    return encodeBase64Mime(this.data);
  }
}
