/**
 * How requests are read: argument sources (query, urlencoded and multipart
 * bodies; JSON bodies carry nothing), repeated names, stripping and control
 * characters, path decoding, the router's 404/405 behaviour, the prefix,
 * `list_only`, and the request-body limit (reference §1.1–§1.3).
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { itConformsToOpenApi } from './test-support/openapi';
import { engines, startTestService, type TestService } from './test-support/harness';
import {
  b64,
  client,
  expectError,
  expectOk,
  filesOf,
  seedCourse,
  type Client
} from './test-support/client';

const NAMES = { first_name: 'F', last_name: 'L', email: 'e' };

describe.each(engines())('request parameters on %s', engine => {
  let svc: TestService;
  let api: Client;

  beforeAll(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
    api = client(svc);
    await seedCourse(api, 'c1');
  });
  afterAll(() => svc.close());

  const student = async (id: string) =>
    expectOk(await api.get(`/api/student/c1/${encodeURIComponent(id)}`, 'ins'));

  describe('sources and repeated names', () => {
    it('the last value wins, and body values come after query values', async () => {
      const res = await svc.request
        .post('/api/student/c1/rep1?first_name=Q1&first_name=Q2&last_name=QL&email=QE')
        .type('form')
        .send('user=ins&first_name=B1&first_name=B2&email=BE');
      expectOk(res);
      expect(await student('rep1')).toMatchObject({
        first_name: 'B2',
        last_name: 'QL',
        email: 'BE'
      });
    });

    it('query values alone: the last one wins', async () => {
      expectOk(
        await svc.request.post(
          '/api/student/c1/rep2?user=ins&first_name=A&first_name=B&last_name=&email=x&email=y'
        )
      );
      expect(await student('rep2')).toMatchObject({ first_name: 'B', last_name: '', email: 'y' });
    });

    it('the identity argument follows the same rule (body user wins over query user)', async () => {
      const res = await svc.request
        .post('/api/student/c1/rep3?user=stu')
        .type('form')
        .send(new URLSearchParams({ user: 'ins', ...NAMES }).toString());
      expectOk(res);
      const denied = await svc.request
        .post('/api/student/c1/rep4?user=ins')
        .type('form')
        .send(new URLSearchParams({ user: 'stu', ...NAMES }).toString());
      expectError(denied, 403, 'Permission denied (not course instructor)');
      expectOk(await svc.request.get('/api/students/c1?user=stu&user=ins'));
    });

    it('DELETE bodies are read (ngshare-course-management sends user= in them)', async () => {
      expectOk(await api.post('/api/student/c1/gone', 'ins', NAMES));
      const res = await svc.request.delete('/api/student/c1/gone').type('form').send('user=ins');
      expectOk(res);
      expectError(await api.get('/api/student/c1/gone', 'ins'), 404, 'Student not found');
    });

    it('multipart/form-data fields are arguments; file parts are not', async () => {
      const files = filesOf([['m.txt', b64('multi')]]);
      const ok = await svc.request
        .post('/api/submission/c1/a1')
        .field('user', 'stu')
        .field('files', files);
      expect(expectOk(ok).timestamp).toMatch(/^\d{4}-/);
      const got = expectOk(
        await api.get('/api/submission/c1/a1/stu', 'ins', { timestamp: ok.body.timestamp })
      );
      expect(got.files[0].path).toBe('m.txt');
      const filePart = await svc.request
        .post('/api/submission/c1/a1')
        .field('user', 'stu')
        .attach('files', Buffer.from(files), 'files.json');
      expectError(filePart, 400, 'Please supply files');
    });

    it('a JSON body carries no arguments ("Please supply files")', async () => {
      const res = await svc.request
        .post('/api/assignment/c1/json1?user=ins')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ files: [], user: 'ins' }));
      expectError(res, 400, 'Please supply files');
      const noUser = await svc.request
        .post('/api/assignment/c1/json1')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ files: '[]', user: 'ins' }));
      expectError(noUser, 400, 'Missing argument user');
    });

    it('release takes files from the query too (any source)', async () => {
      const files = encodeURIComponent(filesOf([['q.txt', b64('q')]]));
      expectOk(await svc.request.post(`/api/assignment/c1/fromquery?user=ins&files=${files}`));
      const got = expectOk(await api.get('/api/assignment/c1/fromquery', 'stu'));
      expect(got.files[0].path).toBe('q.txt');
    });

    it('submission GET takes timestamp and list_only from the body too (any source)', async () => {
      const latest = expectOk(await api.get('/api/submission/c1/a1/stu', 'ins'));
      const res = await svc.request
        .get('/api/submission/c1/a1/stu?user=ins')
        .type('form')
        .send(new URLSearchParams({ timestamp: latest.timestamp, list_only: 'true' }).toString());
      expect(expectOk(res).files[0]).not.toHaveProperty('content');
    });
  });

  describe('stripping and control characters', () => {
    it('strips surrounding whitespace from every argument', async () => {
      expectOk(
        await api.post('/api/student/c1/strip1', 'ins', {
          first_name: '  Bob  ',
          last_name: '\t\nSmith\r\n',
          email: ' \u00a0e@x\u2003 '
        })
      );
      expect(await student('strip1')).toMatchObject({
        first_name: 'Bob',
        last_name: 'Smith',
        email: 'e@x'
      });
    });

    it('keeps blank values: present and empty', async () => {
      expectOk(
        await api.post('/api/student/c1/blank', 'ins', {
          first_name: '   ',
          last_name: '',
          email: ''
        })
      );
      expect(await student('blank')).toMatchObject({ first_name: '', last_name: '', email: '' });
    });

    it('turns control characters other than TAB, LF, VT, FF, CR into spaces, then strips', async () => {
      expectOk(
        await api.post('/api/student/c1/ctl', 'ins', {
          first_name: '\x01Bob\x02',
          last_name: 'a\x00b\x1fc\x7fd',
          email: 'a\tb\nc'
        })
      );
      expect(await student('ctl')).toMatchObject({
        first_name: 'Bob',
        last_name: 'a b c\x7fd',
        email: 'a\tb\nc'
      });
    });

    it("strips like Python's str.strip: NEL (U+0085) yes, BOM (U+FEFF) no", async () => {
      expectOk(
        await api.post('/api/student/c1/pystrip', 'ins', {
          first_name: '\u0085Ann\u0085',
          last_name: '\ufeffLee\ufeff',
          email: '\u1680x\u3000'
        })
      );
      expect(await student('pystrip')).toMatchObject({
        first_name: 'Ann',
        last_name: '\ufeffLee\ufeff',
        email: 'x'
      });
    });

    it('a timestamp with surrounding whitespace still matches (submission and feedback)', async () => {
      const latest = expectOk(await api.get('/api/submission/c1/a1/stu', 'ins'));
      const padded = `  ${latest.timestamp}\t`;
      expect(
        expectOk(await api.get('/api/submission/c1/a1/stu', 'ins', { timestamp: padded })).timestamp
      ).toBe(latest.timestamp);
      expect(
        expectOk(await api.get('/api/feedback/c1/a1/stu', 'stu', { timestamp: padded })).timestamp
      ).toBe(latest.timestamp);
    });
  });

  describe('list_only', () => {
    it.each([
      ['true', true],
      [' true ', true],
      ['True', false],
      ['TRUE', false],
      ['1', false],
      ['yes', false],
      ['', false],
      ['false', false]
    ])('list_only=%j lists only: %s', async (value, listOnly) => {
      const got = expectOk(await api.get('/api/assignment/c1/a1', 'stu', { list_only: value }));
      expect(Object.keys(got.files[0]).sort()).toEqual(
        listOnly ? ['checksum', 'path'] : ['checksum', 'content', 'path']
      );
    });
  });

  describe('paths', () => {
    it('percent-decodes path segments; an encoded slash stays inside the id; + stays +', async () => {
      for (const [encoded, id] of [
        ['NBG%20101', 'NBG 101'],
        ['a%2Fb', 'a/b'],
        ['p+q', 'p+q'],
        ['%C3%BC%E2%9C%93', 'ü✓'],
        ['x%2By', 'x+y']
      ]) {
        expectOk(
          await svc.request.post(`/api/course/${encoded}?user=root&instructors=%5B%22ins%22%5D`)
        );
        expectOk(await svc.request.get(`/api/instructors/${encoded}?user=ins`), encoded);
        expect(expectOk(await api.get('/api/courses', 'ins')).courses).toContain(id);
      }
      // The two spellings of one id name the same course
      expectError(await api.post('/api/course/x+y', 'root'), 409, 'Course already exists');
      expectOk(await api.get('/api/instructors/%70%2Bq', 'ins')); // "p+q"
    });

    it('ids are case-sensitive and not trimmed', async () => {
      expectError(await api.get('/api/assignments/C1', 'ins'), 404, 'Course not found');
      expectError(await api.get('/api/assignments/%20c1', 'ins'), 404, 'Course not found');
      expectOk(await api.post('/api/course/C1', 'root'));
      expect(expectOk(await api.get('/api/courses', 'root')).courses).toEqual(
        expect.arrayContaining(['C1', 'c1'])
      );
    });

    it('unicode course, assignment and student ids work end to end', async () => {
      expectOk(await api.post('/api/course/Kurs-ü', 'root', { instructors: '["lehrerin-ß"]' }));
      expectOk(await api.post('/api/student/Kurs-ü/schüler-é', 'lehrerin-ß', NAMES));
      expectOk(
        await api.post('/api/assignment/Kurs-ü/Übung 1', 'lehrerin-ß', {
          files: filesOf([['ü.txt', b64('ü')]])
        })
      );
      const ts = expectOk(
        await api.post('/api/submission/Kurs-ü/Übung 1', 'schüler-é', {
          files: filesOf([['ü.txt', b64('antwort')]])
        })
      ).timestamp;
      const listed = expectOk(await api.get('/api/submissions/Kurs-ü/Übung 1', 'lehrerin-ß'));
      expect(listed.submissions).toEqual([{ student_id: 'schüler-é', timestamp: ts }]);
      expect(expectOk(await api.get('/api/assignments/Kurs-ü', 'schüler-é')).assignments).toEqual([
        'Übung 1'
      ]);
    });

    it('a malformed percent-encoding is not a server error', async () => {
      const res = await svc.request.get('/api/assignments/%E0%A4%A?user=ins');
      expect(res.status).toBeLessThan(500);
    });

    it.each([
      '/api/courses/',
      '/api/instructors/c1/',
      '/api/assignment/c1/a1/',
      '/healthz/',
      '/api/healthz/',
      '/api',
      '/api//courses',
      '/API/courses'
    ])('no trailing-slash or other variants: GET %s is 404', async url => {
      const res = await svc.request.get(`${url}?user=ins`);
      expect(res.status).toBe(404);
      expect(res.text).toBe('<h1>404 Not Found</h1>\n');
    });

    it('an unknown page is 404 with exactly <h1>404 Not Found</h1>\\n even in debug (no environment dump)', async () => {
      process.env.NGSHARE_TEST_SECRET = 'do-not-print-me';
      const res = await svc.request.get('/api/random-page?user=ins');
      expect(res.status).toBe(404);
      expect(res.text).toBe('<h1>404 Not Found</h1>\n');
      expect(res.text).not.toContain('do-not-print-me');
      const outside = await svc.request.get('/elsewhere');
      expect(outside.status).toBe(404);
      expect(outside.text).toBe('<h1>404 Not Found</h1>\n');
    });

    it.each([
      ['POST', '/api/random-page'],
      ['DELETE', '/nowhere'],
      ['PUT', '/api/courses'],
      ['POST', '/api/courses'],
      ['DELETE', '/api/courses'],
      ['PUT', '/api/course/c1'],
      ['GET', '/api/submission/c1/a1'],
      ['DELETE', '/api/submissions/c1/a1'],
      ['POST', '/api/students/c1/extra'],
      ['PATCH', '/api/student/c1/stu'],
      ['POST', '/healthz'],
      ['DELETE', '/api/initialize-Data6ase']
    ])('%s %s is 405 with the JSON envelope', async (method, url) => {
      const res = await svc.request[method.toLowerCase() as 'get'](`${url}?user=root`);
      expectError(res, 405, 'Method not allowed');
    });

    it('HEAD answers like GET without a body (ngshare: 405); OPTIONS is 405 as in ngshare', async () => {
      const head = await svc.request.head('/api/courses?user=ins');
      expect(head.status).toBe(200);
      expect(head.text ?? '').toBe('');
      expect((await svc.request.head('/nowhere')).status).toBe(404);
      expectError(await svc.request.options('/api/courses?user=ins'), 405, 'Method not allowed');
      expectError(await svc.request.options('/nowhere'), 405, 'Method not allowed');
    });

    it('healthz and version need no user and no token', async () => {
      for (const url of ['/healthz', '/api/healthz']) {
        const res = await svc.request.get(url);
        expect({ url, status: res.status, body: res.body }).toEqual({
          url,
          status: 200,
          body: { success: true }
        });
      }
      const version = await svc.request.get('/api/version');
      expect(version.body).toEqual({ success: true, name: 'ngshare-ts', version: '0.1.0' });
    });
  });
});

describe('pages', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ debug: true, admins: ['root'] });
  });
  afterAll(() => svc.close());

  it('the home page and the dump page escape what users typed', async () => {
    const api = client(svc);
    const home = await api.get('/api/', '<script>alert(1)</script>');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('<script>alert(1)');
    expect(home.text).toContain('&lt;script&gt;');
    expectOk(
      await api.post(`/api/course/${encodeURIComponent('<img src=x onerror=alert(2)>')}`, 'root')
    );
    const dump = await api.get('/api/initialize-Data6ase', 'root', {
      action: 'dump',
      'human-readable': 'true'
    });
    expect(dump.status).toBe(200);
    expect(dump.text).toContain('masonry.min.js');
    expect(dump.text).not.toContain('<img src=x');
  });

  it('metrics are for admins', async () => {
    const api = client(svc);
    expectError(
      await api.get('/api/metrics', 'stu'),
      403,
      'Permission denied (metrics are for admins)'
    );
    const ok = await api.get('/api/metrics', 'root');
    expect(ok.status).toBe(200);
    // (the harness runs without a metrics registry, so the body is empty here)
  });

  it('the OAuth callback in vngshare mode just goes to the home page', async () => {
    const res = await svc.request.get('/api/oauth_callback?code=x');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/api/');
  });
});

describe('prefix', () => {
  it('serves every route under a custom prefix, literally (no pattern characters)', async () => {
    const svc = await startTestService({ prefix: '/services/ng.share+x/' });
    try {
      const api = client(svc);
      expectOk(await api.post('/services/ng.share+x/course/p1', 'root'));
      expect(expectOk(await api.get('/services/ng.share+x/courses', 'root')).courses).toEqual([
        'p1'
      ]);
      expect((await api.get('/services/ngXsharexx/courses', 'root')).status).toBe(404);
      expect((await api.get('/services/ng.sharex/courses', 'root')).status).toBe(404);
      expect((await api.get('/api/courses', 'root')).status).toBe(404);
      expect((await svc.request.get('/healthz')).body).toEqual({ success: true });
      expect((await svc.request.get('/services/ng.share+x/healthz')).body).toEqual({
        success: true
      });
      expect(
        (await svc.request.get('/services/ng.share+x/')).text.startsWith('<!doctype html>')
      ).toBe(true);
      expect((await svc.request.get('/services/ng.share+x')).status).toBe(404);
    } finally {
      await svc.close();
    }
  });
});

describe('request body limit', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ maxBodyBytes: 64 * 1024 });
    await seedCourse(client(svc), 'c1');
  });
  afterAll(() => svc.close());

  const big = () => filesOf([['big.bin', b64(Buffer.alloc(60 * 1024, 7))]]);
  const expectTooLarge = (res: {
    status: number;
    body: { success?: boolean; message?: string };
  }) => {
    expect(res.status).toBe(413);
    expect(res.body.success).toBe(false);
    expect(res.body.message).toMatch(/larger than this server accepts \(65536 bytes\)/);
  };

  it('an urlencoded body over the limit is a JSON 413 with a message', async () => {
    expectTooLarge(await client(svc).post('/api/submission/c1/a1', 'stu', { files: big() }));
  });

  it('a multipart body over the limit is a JSON 413 too', async () => {
    expectTooLarge(
      await svc.request.post('/api/submission/c1/a1').field('user', 'stu').field('files', big())
    );
  });

  it('a chunked body without Content-Length is cut off at the limit too', async () => {
    const server = svc.exchange.app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/submission/c1/a1',
            headers: {
              'Content-Type': 'application/x-www-form-urlencoded',
              'Transfer-Encoding': 'chunked'
            }
          },
          res => {
            let body = '';
            res.on('data', chunk => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          }
        );
        req.on('error', reject);
        const payload = `user=stu&files=${encodeURIComponent(big())}`;
        for (let i = 0; i < payload.length; i += 8192) {
          req.write(payload.slice(i, i + 8192));
        }
        req.end();
      });
      expectTooLarge({ status: result.status, body: JSON.parse(result.body) });
    } finally {
      server.close();
    }
  });

  it('a body under the limit is fine, and the service keeps answering after a refusal', async () => {
    const small = filesOf([['s.bin', b64(Buffer.alloc(40 * 1024, 1))]]);
    expectOk(await client(svc).post('/api/submission/c1/a1', 'stu', { files: small }));
  });
});

itConformsToOpenApi();
