/**
 * Request arguments the way Tornado reads them for ngshare: urlencoded or
 * multipart form fields and query parameters; `any` looks at both with the
 * body winning, `body`/`query` at one source; the last repeated value wins;
 * values are stripped and control characters (but tab and newlines) become
 * spaces. JSON bodies carry no arguments, as in ngshare. Reading bodies is
 * body/read-body.ts.
 */
import { FileTreeDecoder } from '../domain/file-tree-decoder';
import type { UploadedFile } from '../domain/file-tree';
import { badRequest } from '../errors';
import type { BlobWriter } from '../storage/blob-storage';
import type { Body, Values } from './body/read-body';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0e-\x1f]/g;
// Python's str.strip() whitespace, which is not JavaScript's trim(): U+0085 is
// whitespace there and U+FEFF is not.
const PY_STRIP =
  // eslint-disable-next-line no-control-regex
  /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const clean = (value: string): string => value.replace(CONTROL, ' ').replace(PY_STRIP, '');

/**
 * The arguments of one request. The body is read only when `load` is called
 * (after authentication, and on upload routes after the permission checks),
 * so a refused request is answered without reading it.
 */
export class RequestParams {
  private body_: Body | undefined;
  private loading: Promise<void> | undefined;
  /** Set by upload routes before anything loads: decode `files` while reading. */
  streamFiles = false;

  constructor(
    private readonly queryValues: Values,
    private readonly readBody: (streamFiles: boolean) => Promise<Body>,
    private readonly openWriter: () => Promise<BlobWriter>
  ) {}

  /** Reads the body once; later calls wait for the same read. */
  load(): Promise<void> {
    this.loading ??= this.readBody(this.streamFiles).then(body => {
      this.body_ = body;
    });
    return this.loading;
  }

  query(name: string): string | undefined {
    return last(this.queryValues.get(name));
  }

  body(name: string): string | undefined {
    if (!this.body_) {
      throw new Error(`argument "${name}" read before the request body was loaded`);
    }
    return last(this.body_.fields.get(name));
  }

  any(name: string): string | undefined {
    return this.body(name) ?? this.query(name);
  }

  /** The decoded `files` argument (from the body; with `any`, else from the query string). */
  async files(source: 'body' | 'any'): Promise<UploadedFile[]> {
    await this.load();
    const outcome = this.body_!.files;
    if (outcome) {
      if ('error' in outcome) {
        throw outcome.error;
      }
      return outcome.files;
    }
    const fromQuery = source === 'any' ? this.queryValues.get('files') : undefined;
    if (!fromQuery || fromQuery.length === 0) {
      throw badRequest('Please supply files');
    }
    const decoder = new FileTreeDecoder(this.openWriter);
    decoder.write(fromQuery[fromQuery.length - 1]);
    await decoder.flush();
    return decoder.end();
  }

  /** Drops staged contents that no handler committed. */
  async dispose(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.body_?.dispose();
  }
}

function last(values: string[] | undefined): string | undefined {
  return values && values.length > 0 ? clean(values[values.length - 1]) : undefined;
}

export function parseQuery(querystring: string): Values {
  const values: Values = new Map();
  for (const [key, value] of new URLSearchParams(querystring)) {
    const list = values.get(key);
    if (list) {
      list.push(value);
    } else {
      values.set(key, [value]);
    }
  }
  return values;
}
