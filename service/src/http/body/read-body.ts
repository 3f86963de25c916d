/**
 * Reads a request body once, as it arrives: form fields are collected, and
 * on upload routes the `files` field goes straight into the streaming
 * file-tree decoder (so bytes are decoded, hashed and staged on the way in).
 * Every failure is an HTTP error; a truncated or hostile body never escapes
 * as an unhandled stream error.
 */
import type { IncomingMessage } from 'node:http';
import Busboy from 'busboy';
import { FileTreeDecoder } from '../../domain/file-tree-decoder';
import type { UploadedFile } from '../../domain/file-tree';
import { badRequest, type HttpError } from '../../errors';
import type { BlobWriter } from '../../storage/blob-storage';
import type { BodyBudget } from './body-budget';
import {
  bodyTooLarge,
  fieldsTooLarge,
  MAX_FIELD_BYTES,
  MAX_MULTIPART_FIELD_BYTES,
  multipartFieldTooLarge
} from './limits';
import { UrlencodedParser } from './urlencoded-stream';

export type Values = Map<string, string[]>;

export interface BodyOptions {
  limit: number;
  budget: BodyBudget;
  /** Decode a `files` field (upload routes); elsewhere it is skipped unread. */
  streamFiles: boolean;
  openWriter: () => Promise<BlobWriter>;
}

/** The `files` field of a body: its decoded tree, or the 400 it deserves. */
export type FilesOutcome = { files: UploadedFile[] } | { error: HttpError };

export interface Body {
  fields: Values;
  files?: FilesOutcome;
  /** Drops whatever the decoding staged and nobody committed. */
  dispose(): Promise<void>;
}

const FILES = 'files';
const SLICE = 1024 * 1024;
const cutOff = () => badRequest('The request body ended before it was complete');
const notUtf8 = (name: string) =>
  badRequest(`The form field ${JSON.stringify(name)} is not valid UTF-8`);

export async function readBody(req: IncomingMessage, opts: BodyOptions): Promise<Body> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const urlencoded = type.startsWith('application/x-www-form-urlencoded');
  const multipart = type.startsWith('multipart/form-data');
  const empty: Body = { fields: new Map(), dispose: async () => undefined };
  if (!urlencoded && !multipart) {
    return empty; // JSON and other bodies carry no arguments, as in ngshare
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > opts.limit) {
    throw bodyTooLarge(opts.limit);
  }
  if (declared === 0) {
    return empty;
  }
  const release = opts.budget.take(Number.isFinite(declared) ? declared : opts.limit);
  const decoders: FileTreeDecoder[] = [];
  const dispose = async () => {
    await Promise.all(decoders.map(d => d.discard()));
  };
  const newDecoder = () => {
    const decoder = new FileTreeDecoder(opts.openWriter);
    decoders.push(decoder);
    return decoder;
  };
  try {
    const { fields, decoder } = urlencoded
      ? await readUrlencoded(req, opts, newDecoder)
      : await readMultipart(req, opts, newDecoder);
    let files: FilesOutcome | undefined;
    if (decoder) {
      try {
        files = { files: await decoder.end() };
      } catch (err) {
        if (!isHttp(err)) {
          throw err;
        }
        files = { error: err };
      }
    }
    return { fields, files, dispose };
  } catch (err) {
    await dispose();
    throw err;
  } finally {
    release();
  }
}

const isHttp = (err: unknown): err is HttpError =>
  typeof (err as HttpError)?.status === 'number' && (err as HttpError).expose === true;

function collect(values: Values, name: string, value: string): void {
  const list = values.get(name);
  if (list) {
    list.push(value);
  } else {
    values.set(name, [value]);
  }
}

/**
 * Feeds the body's chunks to `consume`, pausing the socket while the
 * previous chunk's writes are pending; rejects on over-limit, cut-off or a
 * consumer error, and then drains the rest so the answer still reaches the
 * client.
 */
function pump(
  req: IncomingMessage,
  limit: number,
  consume: (chunk: Buffer) => Promise<void> | void,
  finish: () => Promise<void> | void
): Promise<void> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let failed = false;
    let chain: Promise<void> = Promise.resolve();
    const fail = (err: unknown) => {
      if (!failed) {
        failed = true;
        req.resume();
        reject(err);
      }
    };
    req.on('data', (chunk: Buffer) => {
      if (failed) {
        return;
      }
      size += chunk.length;
      if (size > limit) {
        fail(bodyTooLarge(limit));
        return;
      }
      req.pause();
      chain = chain
        .then(() => consume(chunk))
        .then(() => {
          if (!failed) {
            req.resume();
          }
        }, fail);
    });
    req.on('end', () => {
      chain = chain.then(() => (failed ? undefined : finish())).then(() => resolve(), fail);
    });
    req.on('error', () => fail(cutOff()));
    req.on('close', () => {
      if (!req.complete) {
        fail(cutOff());
      }
    });
  });
}

async function readUrlencoded(
  req: IncomingMessage,
  opts: BodyOptions,
  newDecoder: () => FileTreeDecoder
): Promise<{ fields: Values; decoder?: FileTreeDecoder }> {
  const fields: Values = new Map();
  let decoder: FileTreeDecoder | undefined;
  const parser = new UrlencodedParser({
    stream: name => {
      if (name !== FILES || !opts.streamFiles) {
        return undefined;
      }
      void decoder?.discard(); // repeated: the last one wins
      decoder = newDecoder();
      return decoder;
    },
    keep: name => name !== FILES,
    field: (name, value) => collect(fields, name, value),
    kept: bytes => {
      if (bytes > MAX_FIELD_BYTES) {
        throw fieldsTooLarge();
      }
    },
    invalidText: notUtf8
  });
  await pump(
    req,
    opts.limit,
    async chunk => {
      parser.write(chunk);
      await decoder?.flush();
    },
    async () => {
      parser.end();
      await decoder?.flush();
    }
  );
  return { fields, decoder };
}

async function readMultipart(
  req: IncomingMessage,
  opts: BodyOptions,
  newDecoder: () => FileTreeDecoder
): Promise<{ fields: Values; decoder?: FileTreeDecoder }> {
  const fields: Values = new Map();
  let filesText: string | undefined;
  let kept = 0;
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({
      headers: req.headers,
      limits: { fieldSize: Math.min(opts.limit, MAX_MULTIPART_FIELD_BYTES) }
    });
  } catch {
    throw badRequest('The multipart request body could not be parsed');
  }
  let problem: HttpError | undefined;
  parser.on('field', (name, value: string | undefined, info) => {
    if (problem) {
      return;
    }
    if (info.valueTruncated) {
      problem =
        opts.limit <= MAX_MULTIPART_FIELD_BYTES
          ? bodyTooLarge(opts.limit)
          : multipartFieldTooLarge();
    } else if (typeof value !== 'string') {
      problem = badRequest(
        `The form field ${JSON.stringify(name)} is in a character set this server does not read; send UTF-8`
      );
    } else if (name === FILES) {
      filesText = opts.streamFiles ? value : undefined;
    } else {
      kept += value.length;
      if (kept > MAX_FIELD_BYTES) {
        problem = fieldsTooLarge();
      }
      collect(fields, name, value);
    }
  });
  // File parts are not arguments in Tornado either: drained, and their errors are the parser's.
  parser.on('file', (_name, stream) => {
    stream.on('error', () => undefined);
    stream.resume();
  });
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('error', () => reject(badRequest('The multipart request body could not be parsed')));
    parser.on('close', () => resolve());
  });
  parsed.catch(() => undefined); // observed below; never an unhandled rejection
  await pump(
    req,
    opts.limit,
    chunk =>
      Promise.race([
        parsed,
        new Promise<void>(resolve => {
          if (!parser.write(chunk)) {
            parser.once('drain', resolve);
          } else {
            resolve();
          }
        })
      ]),
    () => {
      parser.end();
      return parsed;
    }
  );
  if (problem) {
    throw problem;
  }
  if (filesText === undefined) {
    return { fields };
  }
  const decoder = newDecoder();
  for (let i = 0; i < filesText.length; i += SLICE) {
    decoder.write(filesText.slice(i, i + SLICE));
    await decoder.flush();
  }
  return { fields, decoder };
}
