/**
 * The encoded directory tree and timestamps (reference §1.5, §1.6): paths,
 * empty/binary/unicode/duplicate/large files, CPython-lenient base64 in,
 * MIME base64 out, MD5 checksums, malformed shapes (400, never 500),
 * timestamp format, order and parsing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { itConformsToOpenApi } from './test-support/openapi';
import { backends, startTestService, type TestService, storedHashes } from './test-support/harness';
import {
  b64,
  client,
  expectError,
  expectOk,
  filesOf,
  seedCourse,
  type Client
} from './test-support/client';

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;
const FORMAT_MESSAGE =
  'Files must be a JSON list of objects with string "path" and "content" fields';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]
  );
}

describe.each(backends())('file trees on %s, %s storage', (engine, storage) => {
  let svc: TestService;
  let api: Client;
  let n = 0;

  beforeAll(async () => {
    svc = await startTestService({ engine, storage, debug: true, admins: ['root'] });
    api = client(svc);
    await seedCourse(api, 'c1');
  });
  afterAll(() => svc.close());

  /** Releases `files` (raw JSON text) as a new assignment and fetches it back. */
  async function roundTrip(files: string, listOnly = false) {
    const id = `rt${++n}`;
    expectOk(await api.post(`/api/assignment/c1/${id}`, 'ins', { files }), id);
    return expectOk(
      await api.get(`/api/assignment/c1/${id}`, 'stu', listOnly ? { list_only: 'true' } : {})
    ).files as Array<{ path: string; checksum: string; content?: string }>;
  }

  const release = (files: string) => api.post(`/api/assignment/c1/bad${++n}`, 'ins', { files });

  describe('paths', () => {
    it('keeps unicode, nested, spaced, backslashed, ~ and very long paths verbatim', async () => {
      const paths = [
        'dir/sub/ü ñ 日本.ipynb',
        'a//b',
        'a\\b',
        ' spaced name ',
        '~',
        '.hidden',
        '..a',
        'a..',
        '...',
        'x/.../y',
        'long/' + 'n'.repeat(1000)
      ];
      const files = await roundTrip(filesOf(paths.map(p => [p, b64(p)])));
      expect(files.map(f => f.path)).toEqual(paths);
      files.forEach((f, i) => expect(Buffer.from(f.content!, 'base64').toString()).toBe(paths[i]));
    });

    it.each([
      '/a',
      '/',
      '',
      '../etc',
      'a/./a.py',
      'a/.',
      './a',
      'a/',
      'a/../b',
      '..',
      '.',
      // Stricter than ngshare: control characters, and . or .. between backslashes
      'a\u0000b',
      'a\u0001',
      'tab\there',
      'new\nline',
      '\u007f',
      '..\\x',
      'a\\..\\b',
      'a\\.',
      '.\\a',
      // Windows absolute paths: a Windows client would write outside its folder
      'C:\\x',
      'c:x',
      'Z:/x',
      '\\\\server\\share\\x',
      '\\x',
      // lone UTF-16 surrogates have no UTF-8 form (stored, they would come back as U+FFFD)
      'a\ud800',
      '\udc00b'
    ])('refuses the path %j with "Illegal path"', async p => {
      expectError(await release(filesOf([[p, '']])), 400, 'Illegal path', JSON.stringify(p));
    });

    it('never turns a path into a file name in storage', async () => {
      await roundTrip(filesOf([['evil-name-123.txt', b64('x')]]));
      // S3: the folder is the staging area (empty after the upload); objects are named by hash.
      const names =
        svc.storage === 'folder'
          ? walk(svc.storageDir).map(f => path.relative(svc.storageDir, f))
          : (await storedHashes(svc.blobs)).map(h => `blobs/${h.slice(0, 2)}/${h.slice(2)}`);
      expect(walk(svc.storageDir).some(f => f.includes('evil-name'))).toBe(false);
      expect(names.length).toBeGreaterThan(0);
      for (const f of names) {
        expect(f).toMatch(/^blobs\/[0-9a-f]{2}\/[0-9a-f]{62}$/);
      }
    });
  });

  describe('contents', () => {
    it('an empty file has content "" and the MD5 of nothing', async () => {
      const [f] = await roundTrip(filesOf([['empty.txt', '']]));
      expect(f).toEqual({
        path: 'empty.txt',
        checksum: 'd41d8cd98f00b204e9800998ecf8427e',
        content: ''
      });
    });

    it('binary files with every byte value round-trip exactly', async () => {
      const data = Buffer.concat([
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        randomBytes(10_000)
      ]);
      const [f] = await roundTrip(filesOf([['bin.dat', b64(data)]]));
      expect(Buffer.from(f.content!, 'base64')).toEqual(data);
      expect(f.checksum).toBe(md5(data));
    });

    it('returns MIME base64: 76-character lines, each ending in a newline', async () => {
      const sizes = [1, 2, 3, 56, 57, 58, 100, 114, 1000];
      const files = await roundTrip(filesOf(sizes.map(s => [`f${s}`, b64(Buffer.alloc(s, s))])));
      files.forEach((f, i) => {
        const data = Buffer.alloc(sizes[i], sizes[i]);
        const flat = data.toString('base64');
        const lines = flat.match(/.{1,76}/g)!;
        expect(f.content).toBe(lines.join('\n') + '\n');
        expect(f.content!.split('\n').every(line => line.length <= 76)).toBe(true);
      });
      expect(files[0].content).toBe('AQ==\n');
      expect(files[4].content!.split('\n')).toHaveLength(2); // 57 bytes = exactly one line
    });

    it('keeps duplicate paths, in upload order', async () => {
      const files = await roundTrip(
        filesOf([
          ['a', b64('first')],
          ['b', b64('middle')],
          ['a', b64('second')]
        ])
      );
      expect(files.map(f => [f.path, Buffer.from(f.content!, 'base64').toString()])).toEqual([
        ['a', 'first'],
        ['b', 'middle'],
        ['a', 'second']
      ]);
    });

    it('ignores an uploaded checksum and extra keys; computes MD5 itself', async () => {
      const files = await roundTrip(
        JSON.stringify([{ path: 'a', content: 'YQ==', checksum: 'bogus', size: 99, extra: true }])
      );
      expect(files).toEqual([{ path: 'a', checksum: md5('a'), content: 'YQ==\n' }]);
    });

    it('list_only gives exactly path and checksum', async () => {
      const files = await roundTrip(filesOf([['x', b64('x')]]), true);
      expect(files).toEqual([{ path: 'x', checksum: md5('x') }]);
    });

    it.each([
      ['amtsCg==', 'jkl\n'],
      ['amtsCf==', 'jkl\t'], // non-canonical trailing bits
      ['YQ==YQ==', 'a'], // stops at the first complete padding
      ['====', ''],
      ['', ''],
      ['=YQ==', 'a'], // = before two data characters is ignored
      ['YW Jj\nZA==', 'abcd'], // whitespace skipped
      ['YW!J*j', 'abc'], // characters outside the alphabet skipped
      ['Y\r\nW\tJ\x0bj', 'abc'],
      ['YWJj\n', 'abc'],
      ['YQ==\n', 'a'],
      ['YW\u00e9Jj', 'abc'], // ngshare decodes the UTF-8 bytes: non-ASCII is skipped
      ['YQ==é', 'a']
    ])('decodes %j leniently as %j (CPython rules)', async (content, expected) => {
      const [f] = await roundTrip(JSON.stringify([{ path: 'p', content }]));
      expect(Buffer.from(f.content!, 'base64').toString('latin1')).toBe(expected);
      expect(f.checksum).toBe(md5(Buffer.from(expected, 'latin1')));
    });

    it.each(['amtsCg', 'YQ', 'YQ=', 'a', 'YWJjZ', '!!Y', 'YQé'])(
      'refuses %j with "Content cannot be base64 decoded"',
      async content => {
        expectError(
          await release(JSON.stringify([{ path: 'p', content }])),
          400,
          'Content cannot be base64 decoded'
        );
      }
    );
  });

  describe('malformed trees', () => {
    it.each([
      'null',
      '5',
      'true',
      '"str"',
      '{"a": 1}',
      '[1]',
      '[null]',
      '[[]]',
      '["a"]',
      '[{"path": "a"}]',
      '[{"content": ""}]',
      '[{"path": 1, "content": ""}]',
      '[{"path": "a", "content": null}]',
      '[{"path": "a", "content": 5}]',
      '[{"path": ["a"], "content": ""}]',
      '[{"path": "ok", "content": ""}, 1]'
    ])('%s is a 400 with a message, never a 500', async files => {
      expectError(await release(files), 400, FORMAT_MESSAGE, files);
    });

    it('{} is refused (ngshare takes it for an empty tree; a list is what every client sends)', async () => {
      expectError(await release('{}'), 400, FORMAT_MESSAGE, '{}');
    });

    it('[] is an empty tree for releases, submissions and feedback', async () => {
      expect(await roundTrip('[]')).toEqual([]);
      const ts = expectOk(
        await api.post('/api/submission/c1/a1', 'stu2', { files: '[]' })
      ).timestamp;
      expect(
        expectOk(await api.get('/api/submission/c1/a1/stu2', 'ins', { timestamp: ts })).files
      ).toEqual([]);
      expectOk(await api.post('/api/feedback/c1/a1/stu2', 'ins', { timestamp: ts, files: '[]' }));
      expect(
        expectOk(await api.get('/api/feedback/c1/a1/stu2', 'stu2', { timestamp: ts })).files
      ).toEqual([]);
    });
  });

  describe('timestamps', () => {
    it('are UTC YYYY-MM-DD HH:MM:SS.ffffff, unique and strictly increasing per student, listed in order', async () => {
      const stamps: string[] = [];
      for (let i = 0; i < 15; i++) {
        const ts = expectOk(
          await api.post('/api/submission/c1/a1', 'stu2', {
            files: filesOf([['n', b64(String(i))]])
          })
        ).timestamp;
        expect(ts).toMatch(TS);
        expect(ts).not.toMatch(/[+/T]/);
        stamps.push(ts);
      }
      for (let i = 1; i < stamps.length; i++) {
        expect(stamps[i] > stamps[i - 1]).toBe(true);
      }
      const now = Date.now();
      const last = Date.parse(stamps[stamps.length - 1].replace(' ', 'T') + 'Z');
      expect(Math.abs(now - last)).toBeLessThan(60_000);
      const listed = expectOk(await api.get('/api/submissions/c1/a1/stu2', 'stu2')).submissions.map(
        (s: { timestamp: string }) => s.timestamp
      );
      expect(listed.slice(-15)).toEqual(stamps);
      // Without a timestamp, the latest is returned
      const latest = expectOk(await api.get('/api/submission/c1/a1/stu2', 'ins'));
      expect(latest.timestamp).toBe(stamps[14]);
      expect(Buffer.from(latest.files[0].content, 'base64').toString()).toBe('14');
      // An empty timestamp also means the latest
      expect(
        expectOk(await api.get('/api/submission/c1/a1/stu2', 'ins', { timestamp: '' })).timestamp
      ).toBe(stamps[14]);
    });
  });
});

describe('timestamp parsing (on the §3.1 fixture: a submission at 2020-01-01 00:00:00.000000)', () => {
  let svc: TestService;
  let api: Client;
  const STORED = '2020-01-01 00:00:00.000000';

  beforeAll(async () => {
    svc = await startTestService({ debug: true });
    api = client(svc);
    expectOk(await api.get('/api/initialize-Data6ase', 'x', { action: 'init' }));
  });
  afterAll(() => svc.close());

  const feedbackGet = (timestamp: string) =>
    api.get('/api/feedback/course1/challenge/lawrence', 'kevin', { timestamp });
  const feedbackPost = (timestamp: string) =>
    api.post('/api/feedback/course1/challenge/lawrence', 'kevin', {
      timestamp,
      files: filesOf([['fb.html', b64(timestamp)]])
    });

  it.each([
    STORED,
    `${STORED} UTC`,
    `${STORED} GMT`,
    `${STORED} utc`,
    `  ${STORED} UTC  `,
    '2020-01-01 00:00:00.0',
    '2020-01-01 00:00:00.000 UTC',
    '2020-1-1 0:0:0.0',
    '2020-01-01  00:00:00.0\tUTC' // strptime: a space in the format matches any whitespace
  ])('feedback accepts %j and answers with the stored form', async ts => {
    expect(expectOk(await feedbackGet(ts)).timestamp).toBe(STORED);
    expectOk(await feedbackPost(ts));
    const files = expectOk(await feedbackGet(STORED)).files;
    expect(
      files.map((f: { content: string }) => Buffer.from(f.content, 'base64').toString())
    ).toEqual([ts]);
  });

  it.each([
    '2020-01-01T00:00:00.000000',
    '2020-01-01 00:00:00.000000+00:00',
    '2020-01-01 00:00:00.000000 +0000',
    '2020-01-01 00:00:00',
    '2020-01-01 00:00:00.0000000',
    '2020-01-01 00:00:00.000000 EST',
    '2020-02-30 00:00:00.000000',
    '2020-13-01 00:00:00.000000',
    '2020-01-01 00:00:60.000000',
    '2020-01-01 24:00:00.000000',
    'a',
    ''
  ])('feedback refuses %j with "Time format incorrect"', async ts => {
    expectError(await feedbackGet(ts), 400, 'Time format incorrect', `GET ${ts}`);
    expectError(await feedbackPost(ts), 400, 'Time format incorrect', `POST ${ts}`);
  });

  it('a well-formed fraction that matches no stored timestamp: "Submission not found"', async () => {
    expectError(await feedbackGet('2020-01-01 00:00:00.843'), 404, 'Submission not found');
  });

  it.each([STORED, ` ${STORED} `, `${STORED} UTC`, '2020-01-01 00:00:00.0'])(
    'submission GET finds %j (the UTC form is a superset of ngshare)',
    async ts => {
      const got = expectOk(
        await api.get('/api/submission/course1/challenge/lawrence', 'kevin', { timestamp: ts })
      );
      expect(got.timestamp).toBe(STORED);
      expect(Buffer.from(got.files[0].content, 'base64').toString()).toBe('33333');
    }
  );
});

describe('a 50 MB file', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
    await seedCourse(client(svc), 'c1');
  });
  afterAll(() => svc.close());

  it('round-trips byte for byte (MD5) through submit and collect', async () => {
    const data = randomBytes(50 * 1024 * 1024);
    const api = client(svc);
    const ts = expectOk(
      await api.post('/api/submission/c1/a1', 'stu', { files: filesOf([['big.bin', b64(data)]]) })
    ).timestamp;
    const listed = expectOk(
      await api.get('/api/submission/c1/a1/stu', 'ins', { timestamp: ts, list_only: 'true' })
    );
    expect(listed.files).toEqual([{ path: 'big.bin', checksum: md5(data) }]);
    const got = expectOk(await api.get('/api/submission/c1/a1/stu', 'ins', { timestamp: ts }));
    const back = Buffer.from(got.files[0].content, 'base64');
    expect(back.length).toBe(data.length);
    expect(md5(back)).toBe(md5(data));
  }, 120_000);
});

itConformsToOpenApi();
