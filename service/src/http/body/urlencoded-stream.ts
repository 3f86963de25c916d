/**
 * An `application/x-www-form-urlencoded` parser fed the body as it arrives
 * (WHATWG rules: `&`-separated, first `=` splits, `+` is a space, invalid
 * `%` escapes stay literal). One chosen field is handed over as text while
 * it streams; the others are collected. Text must be UTF-8: like Tornado, a
 * value that is not is refused, never altered.
 */
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

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39
    ? c - 0x30
    : c >= 0x41 && c <= 0x46
      ? c - 55
      : c >= 0x61 && c <= 0x66
        ? c - 87
        : -1;

export class UrlencodedParser {
  private inName = true;
  private name: number[] = [];
  private value: Buffer[] = [];
  private keptBytes = 0;
  private sink: StreamedField | undefined;
  private keeping = false;
  private utf8: TextDecoder | undefined;
  // a `%` (and one hex digit) waiting for the rest of its escape across chunks
  private escape: number[] = [];
  private out = Buffer.allocUnsafe(0);
  private currentName = '';

  constructor(private readonly handlers: UrlencodedHandlers) {}

  write(chunk: Buffer): void {
    // decoded value bytes of this chunk; a carried escape can add two bytes
    if (this.out.length < chunk.length + 4) {
      this.out = Buffer.allocUnsafe(chunk.length + 4);
    }
    const out = this.out;
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === AMP || (this.inName && c === EQ)) {
        if (!this.inName) {
          this.valueBytes(out.subarray(0, n));
          n = 0;
        }
        if (c === AMP) {
          this.endPair();
        } else {
          this.startValue();
        }
      } else if (this.inName) {
        this.nameByte(c);
      } else if (!this.sink && !this.keeping) {
        // a value nobody reads: skipped
      } else if (this.escape.length === 0 && c !== PLUS && c !== PERCENT) {
        out[n++] = c;
      } else {
        for (const b of this.decodeByte(c)) {
          out[n++] = b;
        }
      }
    }
    if (!this.inName) {
      this.valueBytes(out.subarray(0, n));
    }
  }

  end(): void {
    if (this.inName && this.name.length === 0) {
      return;
    }
    this.endPair();
  }

  /** Percent/plus decoding of one value byte; returns the bytes it yields now. */
  private decodeByte(c: number): number[] {
    if (this.escape.length === 0) {
      if (c === PLUS) {
        return [0x20];
      }
      if (c === PERCENT) {
        this.escape = [c];
        return [];
      }
      return [c];
    }
    if (hexValue(c) < 0) {
      const literal = this.escape;
      this.escape = [];
      return [...literal, ...this.decodeByte(c)];
    }
    if (this.escape.length === 1) {
      this.escape.push(c);
      return [];
    }
    const byte = (hexValue(this.escape[1]) << 4) | hexValue(c);
    this.escape = [];
    return [byte];
  }

  private nameByte(c: number): void {
    if (this.name.length < 4096) {
      this.name.push(c); // names are decoded at the end; longer ones are nobody's argument
    }
  }

  private decodedName(): string {
    const bytes: number[] = [];
    const saved = this.escape;
    this.escape = [];
    for (const c of this.name) {
      bytes.push(...this.decodeByte(c));
    }
    bytes.push(...this.escape);
    this.escape = saved;
    return this.decodeText(Buffer.from(bytes), '(name)');
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
    if (this.escape.length > 0) {
      const literal = Buffer.from(this.escape);
      this.escape = [];
      this.valueBytes(literal);
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
  }
}
