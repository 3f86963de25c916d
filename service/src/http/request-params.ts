/**
 * Request arguments the way Tornado reads them for ngshare: urlencoded or
 * multipart form fields and query parameters; `any` looks at both with the
 * body winning, `body`/`query` at one source; the last repeated value wins;
 * values are stripped and control characters (but tab and newlines) become
 * spaces. JSON bodies carry no arguments, as in ngshare.
 */
import type { IncomingMessage } from 'node:http';
import Busboy from 'busboy';
import getRawBody from 'raw-body';
import { badRequest, payloadTooLarge } from '../errors';

type Values = Map<string, string[]>;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0e-\x1f]/g;
// Python's str.strip() whitespace, which is not JavaScript's trim(): U+0085 is
// whitespace there and U+FEFF is not.
const PY_STRIP =
  // eslint-disable-next-line no-control-regex
  /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const clean = (value: string): string => value.replace(CONTROL, ' ').replace(PY_STRIP, '');

export class RequestParams {
  constructor(
    private readonly queryValues: Values,
    private readonly bodyValues: Values
  ) {}

  query(name: string): string | undefined {
    return last(this.queryValues.get(name));
  }

  body(name: string): string | undefined {
    return last(this.bodyValues.get(name));
  }

  any(name: string): string | undefined {
    return this.body(name) ?? this.query(name);
  }
}

function last(values: string[] | undefined): string | undefined {
  return values && values.length > 0 ? clean(values[values.length - 1]) : undefined;
}

function collect(entries: Iterable<[string, string]>): Values {
  const values: Values = new Map();
  for (const [key, value] of entries) {
    const list = values.get(key);
    if (list) {
      list.push(value);
    } else {
      values.set(key, [value]);
    }
  }
  return values;
}

export function parseQuery(querystring: string): Values {
  return collect(new URLSearchParams(querystring));
}

export function describeLimit(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

const tooLarge = (limit: number) =>
  payloadTooLarge(
    `Request body is larger than this server accepts (${describeLimit(limit)}); ` +
      'send fewer or smaller files'
  );

/** Reads the form fields of a request body; other content types yield no fields. */
export async function parseBody(req: IncomingMessage, limit: number): Promise<Values> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    throw tooLarge(limit);
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    let text: string;
    try {
      text = await getRawBody(req, { limit, encoding: 'utf8' });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') {
        throw tooLarge(limit);
      }
      throw badRequest('The request body could not be read');
    }
    return collect(new URLSearchParams(text));
  }
  if (type.startsWith('multipart/form-data')) {
    return parseMultipart(req, limit);
  }
  return new Map();
}

function parseMultipart(req: IncomingMessage, limit: number): Promise<Values> {
  return new Promise((resolve, reject) => {
    const fields: Array<[string, string]> = [];
    let size = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (!failed) {
        failed = true;
        req.unpipe();
        req.resume();
        reject(err);
      }
    };
    let parser: Busboy.Busboy;
    try {
      parser = Busboy({ headers: req.headers, limits: { fieldSize: limit } });
    } catch {
      reject(badRequest('The multipart request body could not be parsed'));
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(tooLarge(limit));
      }
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(tooLarge(limit));
      }
      fields.push([name, value]);
    });
    // File parts are not arguments in Tornado either; drain them.
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('error', () => fail(badRequest('The multipart request body could not be parsed')));
    parser.on('close', () => {
      if (!failed) {
        resolve(collect(fields));
      }
    });
    req.pipe(parser);
  });
}
