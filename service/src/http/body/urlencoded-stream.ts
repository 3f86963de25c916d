/**
 * An `application/x-www-form-urlencoded` parser fed the body as it arrives
 * (WHATWG rules: `&`-separated, first `=` splits, `+` is a space, invalid
 * `%` escapes stay literal). One chosen field is handed over as text while
 * it streams; the others are collected. Text must be UTF-8: like Tornado, a
 * value that is not is refused, never altered.
 */
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';

const AMP = 0x26;
const EQ = 0x3d;
const PLUS = 0x2b;
const PERCENT = 0x25;

export interface StreamedField {
  write(text: string): void;
}

export interface UrlencodedHandlers {
  /** A sink for the value of `name` to stream, or undefined to collect it (or skip it). */
  stream(name: string): StreamedField | undefined;
  /** Whether a collected value is kept (false: its bytes are skipped). */
  keep(name: string): boolean;
  field(name: string, value: string): void;
  /** Called with the running total of kept bytes; throws to stop. */
  kept(bytes: number): void;
  invalidText(name: string): Error;
}

// value of each hex digit byte, -1 for the others
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 256; c++) {
  const digit = parseInt(String.fromCharCode(c), 16);
  HEX[c] = /^[0-9a-fA-F]$/.test(String.fromCharCode(c)) ? digit : -1;
}

export class UrlencodedParser {
  private inName = true;
  private name: number[] = [];
  private value: Buffer[] = [];
  private keptBytes = 0;
  private sink: StreamedField | undefined;
  private keeping = false;
  private utf8: TextDecoder | undefined;
  // A `%` cut off by the end of a chunk: 1 after the `%`, 2 after `%` + one hex digit (`escapeHex`).
  private escape = 0;
  private escapeHex = 0;
  private out = Buffer.allocUnsafe(0);
  private currentName = '';
  // The streamed value is decoded natively (fastRun) until something needs the byte loop.
  private fast = false;
  // fastRun's undecoded tail: an escape or UTF-8 sequence cut off by the chunk (ASCII, ≤ 12 chars)
  private carry = '';

  constructor(private readonly handlers: UrlencodedHandlers) {}

  write(chunk: Buffer): void {
    const len = chunk.length;
    let i = 0;
    while (i < len) {
      if (this.inName) {
        const c = chunk[i++];
        if (c === AMP) {
          this.endPair();
        } else if (c === EQ) {
          this.startValue();
        } else {
          this.nameByte(c);
        }
      } else if (!this.sink && !this.keeping) {
        // a value nobody reads: skipped up to its end
        const amp = chunk.indexOf(AMP, i);
        if (amp < 0) {
          return;
        }
        i = amp + 1;
        this.endPair();
      } else if (this.fast) {
        i = this.fastRun(chunk, i);
      } else {
        i = this.valueRun(chunk, i);
      }
    }
  }

  /**
   * The streamed value's common case, ASCII without `+` (what every client sends for a notebook's
   * base64): V8's decodeURIComponent does the escapes and the UTF-8 decoding in one native pass,
   * several times faster than the byte loop. Anything it refuses (a literal `%`, bytes that are
   * not UTF-8) goes to the byte loop, which decides as before, for the rest of the value.
   */
  private fastRun(chunk: Buffer, from: number): number {
    const amp = chunk.indexOf(AMP, from);
    const end = amp < 0 ? chunk.length : amp;
    const region = chunk.subarray(from, end);
    if (!isAscii(region) || region.includes(PLUS)) {
      return this.leaveFast(region, amp, chunk.length);
    }
    const text = this.carry + region.toString('latin1');
    const cut = amp < 0 ? safeCut(text) : text.length;
    let decoded: string;
    try {
      decoded = decodeURIComponent(cut === text.length ? text : text.slice(0, cut));
    } catch {
      return this.leaveFast(region, amp, chunk.length);
    }
    this.carry = text.slice(cut);
    if (decoded.length > 0) {
      this.sink!.write(decoded);
    }
    if (amp < 0) {
      return chunk.length;
    }
    this.endPair();
    return amp + 1;
  }

  /** Hands the carry and `region` to the byte loop, which takes the value from here. */
  private leaveFast(region: Buffer, amp: number, chunkLength: number): number {
    this.fast = false;
    const bytes = this.carry ? Buffer.concat([Buffer.from(this.carry, 'latin1'), region]) : region;
    this.carry = '';
    this.valueRun(bytes, 0); // no `&` in it: all of it is taken
    if (amp < 0) {
      return chunkLength;
    }
    this.endPair();
    return amp + 1;
  }

  end(): void {
    if (this.inName && this.name.length === 0) {
      return;
    }
    this.endPair();
  }

  /**
   * Decodes value bytes from `from` up to the value's end or the chunk's; returns where it
   * stopped (past the `&`). One tight loop: this is every byte of an upload.
   */
  private valueRun(chunk: Buffer, from: number): number {
    const len = chunk.length;
    // decoded bytes never outnumber the input, plus up to two of a carried escape
    if (this.out.length < len - from + 2) {
      this.out = Buffer.allocUnsafe(len - from + 2);
    }
    const out = this.out;
    let n = 0;
    let i = from;
    // a `%` carried from the previous chunk is settled by this one's first byte or two
    while (this.escape !== 0 && i < len) {
      const c = chunk[i];
      const hex = HEX[c];
      if (hex < 0) {
        // not an escape after all: the `%` (and digit) stay literal, `c` is read as usual
        out[n++] = PERCENT;
        if (this.escape === 2) {
          out[n++] = this.escapeHex;
        }
        this.escape = 0;
        break;
      }
      i++;
      if (this.escape === 1) {
        this.escape = 2;
        this.escapeHex = c;
      } else {
        out[n++] = (HEX[this.escapeHex] << 4) | hex;
        this.escape = 0;
      }
    }
    for (; i < len; i++) {
      let c = chunk[i];
      if (c === PERCENT) {
        if (i + 2 < len) {
          const hi = HEX[chunk[i + 1]];
          const lo = HEX[chunk[i + 2]];
          if ((hi | lo) >= 0) {
            c = (hi << 4) | lo;
            i += 2;
          }
        } else if (i + 1 === len || HEX[chunk[i + 1]] >= 0) {
          // cut off by the end of the chunk: the next one settles it
          this.escape = i + 1 === len ? 1 : 2;
          this.escapeHex = chunk[i + 1] ?? 0;
          i = len;
          break;
        }
      } else if (c === PLUS) {
        c = 0x20;
      } else if (c === AMP) {
        break;
      }
      out[n++] = c;
    }
    this.valueBytes(out.subarray(0, n));
    if (i < len) {
      this.endPair();
      return i + 1;
    }
    return len;
  }

  private nameByte(c: number): void {
    if (this.name.length < 4096) {
      this.name.push(c); // names are decoded at the end; longer ones are nobody's argument
    }
  }

  private decodedName(): string {
    return this.decodeText(percentDecode(this.name), '(name)');
  }

  private decodeText(bytes: Buffer, name: string): string {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw this.handlers.invalidText(name);
    }
  }

  private startValue(): void {
    this.inName = false;
    const name = this.decodedName();
    this.currentName = name;
    this.sink = this.handlers.stream(name);
    this.fast = this.sink !== undefined;
    this.keeping = !this.sink && this.handlers.keep(name);
    this.utf8 = this.sink ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : undefined;
  }

  private valueBytes(bytes: Buffer): void {
    if (bytes.length === 0) {
      return;
    }
    if (this.sink) {
      this.sink.write(this.utf8Decode(bytes, true));
    } else if (this.keeping) {
      this.keptBytes += bytes.length;
      this.handlers.kept(this.keptBytes);
      this.value.push(Buffer.from(bytes)); // a copy: the chunk is reused by the socket
    }
  }

  /** The streamed field's next text; the sink's own errors pass through. */
  private utf8Decode(bytes: Buffer, stream: boolean): string {
    try {
      return this.utf8!.decode(bytes, { stream });
    } catch {
      throw this.handlers.invalidText(this.currentName);
    }
  }

  private endPair(): void {
    if (this.inName) {
      // `name` without `=`: an empty value
      if (this.name.length > 0) {
        this.startValue();
      } else {
        this.reset();
        return;
      }
    }
    if (this.carry) {
      // the value ended inside what fastRun held back: the byte loop settles it
      this.leaveFast(Buffer.alloc(0), -1, 0);
    }
    if (this.escape !== 0) {
      const literal = this.escape === 1 ? [PERCENT] : [PERCENT, this.escapeHex];
      this.escape = 0;
      this.valueBytes(Buffer.from(literal));
    }
    if (this.sink) {
      this.sink.write(this.utf8Decode(Buffer.alloc(0), false));
    } else if (this.keeping) {
      this.handlers.field(
        this.currentName,
        this.decodeText(Buffer.concat(this.value), this.currentName)
      );
    }
    this.reset();
  }

  private reset(): void {
    this.inName = true;
    this.name = [];
    this.value = [];
    this.sink = undefined;
    this.keeping = false;
    this.utf8 = undefined;
    this.fast = false;
    this.carry = '';
  }
}

/**
 * Where `text` (ASCII, more to come) can be decoded up to: before an escape the chunk cut off,
 * and before the escapes of a UTF-8 sequence whose last bytes are still to come.
 */
function safeCut(text: string): number {
  let cut = text.length;
  if (text.charCodeAt(cut - 1) === PERCENT) {
    cut -= 1;
  } else if (text.charCodeAt(cut - 2) === PERCENT) {
    cut -= 2;
  }
  let continuation = 0;
  for (let k = cut; k >= 3 && text.charCodeAt(k - 3) === PERCENT; k -= 3) {
    const hi = HEX[text.charCodeAt(k - 2) & 0xff];
    const lo = HEX[text.charCodeAt(k - 1) & 0xff];
    if ((hi | lo) < 0) {
      break;
    }
    const byte = (hi << 4) | lo;
    if (byte >= 0x80 && byte < 0xc0 && continuation < 3) {
      continuation += 1;
      continue;
    }
    if (byte >= 0xc0 && (byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : 1) > continuation) {
      cut = k - 3; // the lead byte of an unfinished sequence
    }
    break;
  }
  return cut;
}

/** Percent and plus decoding of a whole (short) byte string, such as a field name. */
function percentDecode(bytes: number[]): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    const hi = c === PERCENT && i + 2 < bytes.length ? HEX[bytes[i + 1]] : -1;
    const lo = hi >= 0 ? HEX[bytes[i + 2]] : -1;
    if (lo >= 0) {
      out.push((hi << 4) | lo);
      i += 2;
    } else {
      out.push(c === PLUS ? 0x20 : c);
    }
  }
  return Buffer.from(out);
}
