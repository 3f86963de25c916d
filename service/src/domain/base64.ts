/**
 * Base64 as ngshare (CPython's binascii) speaks it.
 *
 * Decoding follows `binascii.a2b_base64` in non-strict mode: characters
 * outside the alphabet are skipped, `=` before the second data character of
 * a quad is ignored, the first completed padding ends the input, and only an
 * incomplete final quad is an error. Node's Buffer would accept `amtsCg`;
 * ngshare rejects it, so this is its own small state machine.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE_TABLE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;
}
const PAD = 0x3d; // '='
const NEWLINE = 0x0a;

/**
 * Decodes base64 text given in pieces, so an upload is decoded as it
 * arrives. Runs of alphabet characters go through Node's decoder a whole
 * number of quads at a time; everything else through the state machine.
 */
export class Base64Decoder {
  private quadPos = 0;
  private leftChar = 0;
  private pads = 0;
  private ended = false;
  private slow: number[] = [];

  /** Receives each decoded piece (subarrays of fresh buffers: keep them). */
  constructor(private readonly emit: (bytes: Buffer) => void) {}

  write(text: string): void {
    const n = text.length;
    let i = 0;
    // finish a quad the previous piece began (pieces are cut anywhere), then the fast path once
    while (i < n && this.quadPos !== 0 && !this.ended) {
      this.step(text.charCodeAt(i));
      i++;
    }
    if (i < n && this.quadPos === 0 && !this.ended) {
      this.flushSlow();
      i = this.wholeQuads(text, i);
    }
    while (i < n && !this.ended) {
      if (this.quadPos === 0) {
        // Whole quads of alphabet characters, line breaks between them allowed (Node skips those).
        let j = i;
        let count = 0;
        let end = i;
        for (let code = text.charCodeAt(j); j < n; code = text.charCodeAt(++j)) {
          if (isAlphabet(code)) {
            count += 1;
            if ((count & 3) === 0) {
              end = j + 1;
            }
          } else if (code !== NEWLINE) {
            break;
          }
        }
        if (end > i) {
          this.flushSlow();
          this.pads = 0;
          this.emit(Buffer.from(text.slice(i, end), 'base64'));
          i = end;
          continue;
        }
      }
      this.step(text.charCodeAt(i));
      i++;
    }
    this.flushSlow();
  }

  /**
   * The common case in one call: text of alphabet characters and line breaks only (padding
   * aside), as base64.encodebytes writes it, is decoded whole by Node, and the decoded length
   * proves it was (each character Node skips shortens the output; `-` and `_`, which Node reads
   * as URL-safe base64, are looked for). Returns where it stopped: `from` when the text needs the
   * careful path.
   */
  private wholeQuads(text: string, from: number): number {
    let m = text.length;
    while (m > from && text.charCodeAt(m - 1) === PAD) {
      m--;
    }
    let breaks = 0;
    for (let k = text.indexOf('\n', from); k !== -1 && k < m; k = text.indexOf('\n', k + 1)) {
      breaks++;
    }
    // back off to a whole number of quads, stepping over line breaks
    let end = m;
    let extra = (m - from - breaks) & 3;
    while (extra > 0 && end > from) {
      end--;
      if (text.charCodeAt(end) === NEWLINE) {
        breaks--;
      } else {
        extra--;
      }
    }
    const chars = end - from - breaks;
    if (chars <= 0) {
      return from;
    }
    const quads = from === 0 && end === text.length ? text : text.slice(from, end);
    if (quads.indexOf('-') >= 0 || quads.indexOf('_') >= 0) {
      return from;
    }
    const bytes = Buffer.from(quads, 'base64');
    if (bytes.length !== (chars / 4) * 3) {
      return from;
    }
    this.pads = 0;
    this.emit(bytes);
    return end;
  }

  /** True when the input was complete (CPython raises otherwise). */
  end(): boolean {
    return this.ended || this.quadPos === 0;
  }

  private flushSlow(): void {
    if (this.slow.length > 0) {
      this.emit(Buffer.from(this.slow));
      this.slow = [];
    }
  }

  private step(code: number): void {
    if (code > 0x7f) {
      return; // ngshare decodes the UTF-8 bytes: non-ASCII is outside the alphabet, skipped
    }
    if (code === PAD) {
      this.pads += 1;
      if (this.quadPos >= 2 && this.quadPos + this.pads >= 4) {
        this.ended = true;
      }
      return;
    }
    const value = DECODE_TABLE[code];
    if (value < 0) {
      return;
    }
    this.pads = 0;
    switch (this.quadPos) {
      case 0:
        this.quadPos = 1;
        this.leftChar = value;
        break;
      case 1:
        this.quadPos = 2;
        this.slow.push(((this.leftChar << 2) | (value >> 4)) & 0xff);
        this.leftChar = value & 0x0f;
        break;
      case 2:
        this.quadPos = 3;
        this.slow.push(((this.leftChar << 4) | (value >> 2)) & 0xff);
        this.leftChar = value & 0x03;
        break;
      default:
        this.quadPos = 0;
        this.slow.push(((this.leftChar << 6) | value) & 0xff);
        this.leftChar = 0;
    }
  }
}

const isAlphabet = (code: number): boolean => code < 0x80 && DECODE_TABLE[code] >= 0;

/** Returns the decoded bytes, or undefined when CPython would raise. */
export function decodeBase64Lenient(text: string): Buffer | undefined {
  const parts: Buffer[] = [];
  const decoder = new Base64Decoder(bytes => parts.push(bytes));
  decoder.write(text);
  return decoder.end() ? Buffer.concat(parts) : undefined;
}

/**
 * `base64.encodebytes`: 76-character lines, each ending in a newline; empty input gives "".
 * `newline` is what ends a line: `'\\n'` gives the text as it stands inside a JSON string.
 */
export function encodeBase64Mime(data: Buffer, newline = '\n'): string {
  const flat = data.toString('base64');
  let out = '';
  for (let i = 0; i < flat.length; i += 76) {
    out += flat.slice(i, i + 76) + newline;
  }
  return out;
}
