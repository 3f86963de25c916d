/**
 * The streaming file-tree decoder against an oracle built the plain way
 * (clean + strip the argument, JSON.parse, check each entry in ngshare's
 * order, decode base64 in one piece): same files or same 400 for thousands
 * of seeded inputs cut into random pieces, with contents large enough to be
 * staged through a writer.
 */
import { createHash } from 'node:crypto';
import type { BlobWriter } from '../storage/blob-storage';
import { decodeBase64Lenient } from './base64';
import { FILES_FORMAT_MESSAGE, isLegalPath } from './file-tree';
import { FileTreeDecoder, IN_MEMORY_CONTENT_BYTES } from './file-tree-decoder';
import { rng } from '../test-support/seeded-random';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0e-\x1f]/g;
const PY_STRIP =
  // eslint-disable-next-line no-control-regex
  /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

type Outcome = { files: Array<{ path: string; md5: string; size: number }> } | { error: string };

function oracle(raw: string): Outcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.replace(CONTROL, ' ').replace(PY_STRIP, ''));
  } catch {
    return { error: 'Files cannot be JSON decoded' };
  }
  if (!Array.isArray(parsed)) {
    return { error: FILES_FORMAT_MESSAGE };
  }
  const files = [];
  for (const entry of parsed) {
    const { path, content } = (entry ?? {}) as { path?: unknown; content?: unknown };
    if (
      typeof entry !== 'object' ||
      entry === null ||
      Array.isArray(entry) ||
      typeof path !== 'string'
    ) {
      return { error: FILES_FORMAT_MESSAGE };
    }
    if (!isLegalPath(path)) {
      return { error: 'Illegal path' };
    }
    if (typeof content !== 'string') {
      return { error: FILES_FORMAT_MESSAGE };
    }
    const data = decodeBase64Lenient(content);
    if (!data) {
      return { error: 'Content cannot be base64 decoded' };
    }
    files.push({ path, md5: createHash('md5').update(data).digest('hex'), size: data.length });
  }
  return { files };
}

/** An in-memory writer (a unit-test stand-in for blob storage) that records what it holds. */
function memoryWriters() {
  const open = new Set<{ data: Buffer[]; state: string }>();
  const openWriter = async (): Promise<BlobWriter> => {
    const w = { data: [] as Buffer[], state: 'writing' };
    open.add(w);
    return {
      write: async chunk => {
        w.data.push(Buffer.from(chunk));
      },
      finish: async () => {
        w.state = 'staged';
        return {
          commit: async () => {
            w.state = 'committed';
          },
          discard: async () => {
            if (w.state !== 'committed') {
              w.state = 'discarded';
            }
          }
        };
      },
      discard: async () => {
        if (w.state !== 'committed') {
          w.state = 'discarded';
        }
      }
    };
  };
  return { openWriter, open };
}

async function decode(raw: string, cuts: number[]): Promise<Outcome> {
  const { openWriter, open } = memoryWriters();
  const decoder = new FileTreeDecoder(openWriter);
  let from = 0;
  for (const cut of [...cuts, raw.length]) {
    decoder.write(raw.slice(from, cut));
    await decoder.flush();
    from = cut;
  }
  try {
    const files = await decoder.end();
    // every staged content is the decoded bytes
    for (const f of files) {
      expect(f.data === undefined).toBe(f.staged !== undefined);
    }
    return { files: files.map(f => ({ path: f.path, md5: f.md5, size: f.size })) };
  } catch (err) {
    await decoder.discard();
    // a refused tree leaves nothing staged
    expect([...open].filter(w => w.state === 'writing' || w.state === 'staged')).toEqual([]);
    return { error: (err as Error).message };
  }
}

const TOKENS = [
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ' ',
  '\n',
  '\t',
  '\u3000',
  '\x01',
  '\x0b',
  '"',
  '\\',
  '\\n',
  '\\u00',
  '\\ud800',
  '"path"',
  '"content"',
  '"other"',
  '"a.txt"',
  '"QUJD"',
  '"QUI="',
  '"QQ"',
  '"=="',
  '"../x"',
  '"C:\\\\x"',
  '1',
  '-0.5e3',
  '01',
  'true',
  'nul',
  'null',
  '{"path": "f", "content": "aGk="}',
  '[]',
  '{}'
];

const entry = (path: string, content: string) => ({ path, content });

describe('streaming file-tree decoder', () => {
  it('agrees with the plain oracle on 3,000 seeded token soups cut at random', async () => {
    const random = rng(42);
    for (let n = 0; n < 3000; n++) {
      const count = 1 + Math.floor(random() * 10);
      let raw = random() < 0.7 ? '[' : '';
      for (let i = 0; i < count; i++) {
        raw += TOKENS[Math.floor(random() * TOKENS.length)];
      }
      if (random() < 0.6) {
        raw += ']';
      }
      const cuts = Array.from({ length: Math.floor(random() * 3) }, () =>
        Math.floor(random() * raw.length)
      ).sort((x, y) => x - y);
      expect([raw, await decode(raw, cuts)]).toEqual([raw, oracle(raw)]);
    }
  });

  it('agrees on well-formed trees with every kind of entry, including ones staged to a writer', async () => {
    const random = rng(7);
    const big = Buffer.alloc(IN_MEMORY_CONTENT_BYTES + 12345, 'x');
    const mime = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\n');
    const trees = [
      [entry('a', mime(big)), entry('b/c.txt', 'aGk=')],
      [entry('same', 'aGk='), entry('same2', 'aGk=')],
      [{ content: 'aGk=', path: 'reordered' }],
      [{ path: 'dup', content: 'QQ==', extra: [1, { x: null }] }],
      [entry('e', ''), entry('f', '====')],
      [entry('g', 'amtsCg')],
      [entry('h', 'aGk=\u00e9\u{1f600}!')],
      [entry('ok', 'aGk='), entry('/abs', 'aGk=')],
      [entry('ok', 'aGk='), { path: 'x', content: 5 }],
      [entry('ok', mime(big)), 7]
    ];
    for (const tree of trees) {
      const raw = JSON.stringify(tree);
      const cuts = [Math.floor(random() * raw.length), Math.floor(random() * raw.length)].sort(
        (x, y) => x - y
      );
      expect([raw.slice(0, 80), await decode(raw, cuts)]).toEqual([raw.slice(0, 80), oracle(raw)]);
    }
    // a repeated key: the last one wins, as in JSON.parse
    const dup = '[{"path": "d", "content": "QQ==", "content": "Qg=="}]';
    expect(await decode(dup, [20, 40])).toEqual(oracle(dup));
  });
});
