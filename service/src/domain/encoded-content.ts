/**
 * A file's bytes as ngshare's answers carry them: MIME base64 (76-character
 * lines, each ending in a newline, as Python's base64.encodebytes) inside a JSON
 * string. Encoded only as an answer is written (http/body/json-stream.ts).
 */
/** 57 bytes make one 76-character line of MIME base64: pieces end at line breaks. */
const PIECE_BYTES = 57 * 16 * 1024;

/** Bytes that go on the wire as ngshare's MIME base64 (76-character lines, each ending in \n). */
export class EncodedContent {
  constructor(readonly data: Buffer) {}

  /** The JSON string's characters without its quotes: base64 and `\n` escapes. */
  *jsonPieces(): Generator<string> {
    for (let at = 0; at < this.data.length; at += PIECE_BYTES) {
      const flat = this.data.subarray(at, at + PIECE_BYTES).toString('base64');
      let out = '';
      for (let i = 0; i < flat.length; i += 76) {
        out += flat.slice(i, i + 76) + '\\n';
      }
      yield out;
    }
  }

  /** Length of `jsonPieces()` joined, without building it. */
  get jsonLength(): number {
    const chars = 4 * Math.ceil(this.data.length / 3);
    return chars + 2 * Math.ceil(chars / 76);
  }

  /** The content as a string, for anything that stringifies the answer whole. */
  toJSON(): string {
    return [...this.jsonPieces()].join('').replace(/\\n/g, '\n');
  }
}
