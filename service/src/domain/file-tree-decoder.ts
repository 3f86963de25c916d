/**
 * Streaming decoder of the `files` argument (a JSON list of `{path,
 * content}`), fed text as the request body arrives: contents are base64
 * decoded, hashed and written to staging as they come, so an upload costs
 * memory of a few chunks, not several copies of itself.
 *
 * It answers exactly what `JSON.parse` + the checks of `file-tree.ts` would
 * on the cleaned argument (control characters as spaces, Python-stripped):
 * a syntax error anywhere wins ("Files cannot be JSON decoded"), then the
 * first bad entry in ngshare's order of checks (path, then content).
 */
import { createHash, type Hash } from 'node:crypto';
import { badRequest, type HttpError } from '../errors';
import type { BlobWriter } from '../storage/blob-storage';
import { Base64Decoder } from './base64';
import { FILES_FORMAT_MESSAGE, isLegalPath, type UploadedFile } from './file-tree';
import { md5Of, rememberMd5 } from './md5-memo';

/** Contents up to this size stay in memory (stored only if new); larger ones go to staging. */
export const IN_MEMORY_CONTENT_BYTES = 1024 * 1024;

const DECODE_ERROR = 'Files cannot be JSON decoded';

/** One `content` string being decoded. */
class Content {
  private readonly md5: Hash = createHash('md5');
  private readonly sha256: Hash = createHash('sha256');
  private readonly base64: Base64Decoder;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  size = 0;
  writer: Promise<BlobWriter> | undefined;
  dropped = false;

  constructor(private readonly openWriter: () => Promise<BlobWriter>) {
    this.base64 = new Base64Decoder(bytes => {
      this.sha256.update(bytes);
      this.size += bytes.length;
      this.pending.push(bytes);
      this.pendingBytes += bytes.length;
    });
  }

  write(text: string): void {
    if (!this.dropped) {
      this.base64.write(text);
    }
  }

  /** Writes what is pending once it no longer fits in memory. */
  async flush(force: boolean): Promise<void> {
    if (this.dropped || this.pendingBytes === 0) {
      return;
    }
    if (!this.writer && !force && this.size <= IN_MEMORY_CONTENT_BYTES) {
      return;
    }
    this.writer ??= this.openWriter();
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.md5.update(chunk); // bytes kept in memory are hashed at the end, if at all (md5Of)
    await (await this.writer).write(chunk);
  }

  complete(): boolean {
    return this.base64.end();
  }

  async toFile(path: string): Promise<UploadedFile> {
    const sha256 = this.sha256.digest('hex');
    if (!this.writer) {
      const data = Buffer.concat(this.pending);
      return { path, md5: md5Of(sha256, data), sha256, size: this.size, data };
    }
    await this.flush(true);
    const md5 = this.md5.digest('hex');
    rememberMd5(sha256, md5);
    const staged = await (await this.writer).finish(sha256);
    return { path, md5, sha256, size: this.size, staged };
  }

  async discard(): Promise<void> {
    this.dropped = true;
    this.pending = [];
    if (this.writer) {
      await (await this.writer).discard();
    }
  }
}

interface Entry {
  path?: string | null; // null: present but not a string
  content?: Content | null;
  key?: string; // the key whose value comes next
}

type Frame =
  | { kind: 'array'; role: 'tree' | 'skip'; state: 'first' | 'value' | 'after' }
  | {
      kind: 'object';
      role: 'entry' | 'skip';
      entry?: Entry;
      state: 'first' | 'key' | 'colon' | 'value' | 'after';
    };

type Scalar =
  | {
      kind: 'string';
      role: 'path' | 'content' | 'key' | 'skip';
      text: string;
      escape: string | null;
    }
  | { kind: 'number'; text: string }
  | { kind: 'literal'; rest: string };

// Python's str.strip() whitespace (see request-params.ts): allowed only around the whole value.
// eslint-disable-next-line no-control-regex
const STRIP = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
/** Control characters that read as a space (request-params.ts): all but tab to carriage return. */
const cleaned = (code: number) => code < 0x20 && (code < 0x09 || code > 0x0d);
// Inside a string: characters that end a plain run.
// eslint-disable-next-line no-control-regex
const STRING_SPECIAL = /["\\\x00-\x1f]/g;
// unrolled (plain runs, then `\n` + plain run, repeated): twice as fast in V8 as the alternation
// eslint-disable-next-line no-control-regex
const CONTENT_RUN = /[^"\\\x00-\x1f]*(?:\\n[^"\\\x00-\x1f]*)*/y;
const ESCAPED_NEWLINES = /\\n/g;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t'
};
const MAX_KEY = 16; // only "path" and "content" matter

export class FileTreeDecoder {
  private readonly stack: Frame[] = [];
  private scalar: Scalar | undefined;
  private top: 'before' | 'inside' | 'after' = 'before';
  private syntaxError = false;
  private treeError: HttpError | undefined;
  private readonly contents: Content[] = [];
  private readonly accepted: Array<{ path: string; content: Content }> = [];

  constructor(private readonly openWriter: () => Promise<BlobWriter>) {}

  /** Feeds the next piece of the argument's text. */
  write(text: string): void {
    if (this.syntaxError) {
      return;
    }
    // Control characters read as spaces where they are met (char, stringRun): a replace over
    // the whole text cost a scan of every byte of every upload.
    let i = 0;
    while (i < text.length && !this.syntaxError) {
      const s = this.scalar;
      if (s?.kind === 'string' && s.escape === null) {
        i = this.stringRun(s, text, i);
        continue;
      }
      this.char(text[i]);
      i++;
    }
  }

  /** Writes decoded bytes that no longer fit in memory; call between pieces. */
  async flush(): Promise<void> {
    // Only the latest content grows; earlier ones are complete (written out in `end`).
    await this.contents[this.contents.length - 1]?.flush(false);
  }

  /** The decoded tree, or the 400 ngshare's checks give; staged contents belong to the caller. */
  async end(): Promise<UploadedFile[]> {
    if (!this.syntaxError && this.scalar?.kind === 'number' && this.stack.length === 0) {
      this.endNumber();
    }
    if (this.syntaxError || this.top !== 'after' || this.scalar) {
      await this.discard();
      throw badRequest(DECODE_ERROR);
    }
    if (this.treeError) {
      await this.discard();
      throw this.treeError;
    }
    const files: UploadedFile[] = [];
    try {
      for (const { path, content } of this.accepted) {
        files.push(await content.toFile(path));
      }
    } catch (err) {
      await this.discard();
      throw err;
    }
    return files;
  }

  /** Drops everything staged so far (idempotent). */
  async discard(): Promise<void> {
    await Promise.all(this.contents.map(c => c.discard()));
  }

  // ---- the grammar ---------------------------------------------------------

  private fail(): void {
    this.syntaxError = true;
  }

  private char(raw: string): void {
    const c = cleaned(raw.charCodeAt(0)) ? ' ' : raw;
    const s = this.scalar;
    if (s?.kind === 'string') {
      this.escapeChar(s, c);
      return;
    }
    if (s?.kind === 'literal') {
      if (c !== s.rest[0]) {
        this.fail();
        return;
      }
      s.rest = s.rest.slice(1);
      if (s.rest === '') {
        this.scalar = undefined;
        this.valueDone();
      }
      return;
    }
    if (s?.kind === 'number') {
      if (/[0-9eE.+-]/.test(c)) {
        s.text += c;
        return;
      }
      this.endNumber();
      if (this.syntaxError) {
        return;
      }
    }
    if (this.top !== 'inside') {
      if (STRIP.test(c)) {
        return;
      }
      if (this.top === 'after') {
        this.fail();
        return;
      }
      this.top = 'inside';
      this.beginValue(c, 'tree');
      return;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      return;
    }
    const frame = this.stack[this.stack.length - 1];
    if (frame.kind === 'array') {
      if (frame.state === 'first' && c === ']') {
        this.closeFrame();
      } else if (frame.state === 'after' && c === ']') {
        this.closeFrame();
      } else if (frame.state === 'after' && c === ',') {
        frame.state = 'value';
      } else if (frame.state === 'first' || frame.state === 'value') {
        frame.state = 'after';
        this.beginValue(c, frame.role === 'tree' ? 'entry' : 'skip');
      } else {
        this.fail();
      }
      return;
    }
    switch (frame.state) {
      case 'first':
      case 'key':
        if (c === '}' && frame.state === 'first') {
          this.closeFrame();
        } else if (c === '"') {
          frame.state = 'colon';
          this.scalar = {
            kind: 'string',
            role: frame.role === 'entry' ? 'key' : 'skip',
            text: '',
            escape: null
          };
        } else {
          this.fail();
        }
        return;
      case 'colon':
        if (c === ':') {
          frame.state = 'value';
        } else {
          this.fail();
        }
        return;
      case 'value': {
        frame.state = 'after';
        const key = frame.entry?.key;
        const role = key === 'path' ? 'path' : key === 'content' ? 'content' : 'skip';
        if (frame.entry && (role === 'path' || role === 'content') && c !== '"') {
          if (role === 'content') {
            this.dropContent(frame.entry);
          }
          frame.entry[role] = null; // present, not a string
        }
        this.beginValue(c, role);
        return;
      }
      default:
        if (c === ',') {
          frame.state = 'key';
        } else if (c === '}') {
          this.closeFrame();
        } else {
          this.fail();
        }
    }
  }

  private beginValue(c: string, role: 'tree' | 'entry' | 'path' | 'content' | 'skip'): void {
    if (role === 'tree' && c !== '[') {
      this.treeError ??= badRequest(FILES_FORMAT_MESSAGE);
    }
    if (role === 'entry' && c !== '{') {
      this.treeError ??= badRequest(FILES_FORMAT_MESSAGE);
    }
    if (c === '[') {
      this.stack.push({ kind: 'array', role: role === 'tree' ? 'tree' : 'skip', state: 'first' });
    } else if (c === '{') {
      const entry = role === 'entry' && !this.treeError ? {} : undefined;
      this.stack.push({ kind: 'object', role: entry ? 'entry' : 'skip', entry, state: 'first' });
    } else if (c === '"') {
      const wanted = !this.treeError && (role === 'path' || role === 'content');
      this.scalar = { kind: 'string', role: wanted ? role : 'skip', text: '', escape: null };
      if (wanted && role === 'content') {
        this.startContent();
      }
    } else if (c === 't' || c === 'f' || c === 'n') {
      this.scalar = { kind: 'literal', rest: { t: 'rue', f: 'alse', n: 'ull' }[c] };
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      this.scalar = { kind: 'number', text: c };
    } else {
      this.fail();
    }
  }

  private endNumber(): void {
    const s = this.scalar as { kind: 'number'; text: string };
    this.scalar = undefined;
    if (!NUMBER.test(s.text)) {
      this.fail();
      return;
    }
    this.valueDone();
  }

  /** A plain run of string characters up to the next quote, backslash or control character. */
  private stringRun(s: Scalar & { kind: 'string' }, text: string, from: number): number {
    if (s.role === 'content') {
      // base64 skips line breaks: drop the `\n` escapes of MIME lines without leaving the run
      CONTENT_RUN.lastIndex = from;
      const run = CONTENT_RUN.exec(text);
      if (run && run[0].length > 0) {
        this.stringText(s, run[0].replace(ESCAPED_NEWLINES, ''));
        return from + run[0].length;
      }
    }
    STRING_SPECIAL.lastIndex = from;
    const m = STRING_SPECIAL.exec(text);
    const end = m ? m.index : text.length;
    if (end > from) {
      this.stringText(s, text.slice(from, end));
    }
    if (!m) {
      return end;
    }
    if (m[0] === '"') {
      this.endString(s);
    } else if (m[0] === '\\') {
      s.escape = '';
    } else if (cleaned(m[0].charCodeAt(0))) {
      this.stringText(s, ' ');
    } else {
      this.fail(); // raw tab, newline, vertical tab, form feed or return
    }
    return end + 1;
  }

  private escapeChar(s: Scalar & { kind: 'string' }, c: string): void {
    const escape = (s.escape ?? '') + c;
    if (escape[0] === 'u') {
      if (!/^[0-9a-fA-F]$/.test(c) && escape.length > 1) {
        this.fail();
        return;
      }
      if (escape.length < 5) {
        s.escape = escape;
        return;
      }
      s.escape = null;
      this.stringText(s, String.fromCharCode(parseInt(escape.slice(1), 16)));
      return;
    }
    const decoded = ESCAPES[c];
    if (decoded === undefined) {
      this.fail();
      return;
    }
    s.escape = null;
    this.stringText(s, decoded);
  }

  private stringText(s: Scalar & { kind: 'string' }, text: string): void {
    if (s.role === 'content') {
      this.currentEntry()?.content?.write(text);
    } else if (s.role === 'path' || (s.role === 'key' && s.text.length <= MAX_KEY)) {
      s.text += text;
    }
  }

  private endString(s: Scalar & { kind: 'string' }): void {
    this.scalar = undefined;
    const entry = this.currentEntry();
    if (s.role === 'key') {
      if (entry) {
        entry.key = s.text;
      }
      return; // a key is not a value
    }
    if (s.role === 'path' && entry) {
      entry.path = s.text;
    }
    this.valueDone();
  }

  private currentEntry(): Entry | undefined {
    const frame = this.stack[this.stack.length - 1];
    return frame?.kind === 'object' ? frame.entry : undefined;
  }

  private startContent(): void {
    const entry = this.currentEntry();
    if (!entry) {
      return;
    }
    this.dropContent(entry); // a repeated key: the last one wins, as in JSON.parse
    const content = new Content(this.openWriter);
    this.contents.push(content);
    entry.content = content;
  }

  private dropContent(entry: Entry): void {
    void entry.content?.discard();
  }

  private closeFrame(): void {
    const frame = this.stack.pop()!;
    if (frame.kind === 'object' && frame.entry) {
      this.checkEntry(frame.entry);
    }
    this.valueDone();
  }

  /** ngshare's checks of one entry, in its order. */
  private checkEntry(entry: Entry): void {
    let error: string | undefined;
    if (typeof entry.path !== 'string') {
      error = FILES_FORMAT_MESSAGE;
    } else if (!isLegalPath(entry.path)) {
      error = 'Illegal path';
    } else if (!entry.content) {
      error = FILES_FORMAT_MESSAGE;
    } else if (!entry.content.complete()) {
      error = 'Content cannot be base64 decoded';
    }
    if (error || this.treeError) {
      this.treeError ??= badRequest(error!);
      this.dropContent(entry);
      for (const { content } of this.accepted.splice(0)) {
        void content.discard();
      }
      return;
    }
    this.accepted.push({ path: entry.path as string, content: entry.content! });
  }

  private valueDone(): void {
    if (this.stack.length === 0) {
      this.top = 'after';
    }
  }
}
