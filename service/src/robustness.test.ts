/**
 * Odd input never becomes a server error: a seeded stream of unusual ids,
 * arguments, bodies and content types against every route, as members and
 * non-members, on every engine. Each answer must be a 2xx/3xx/4xx with the
 * JSON envelope (or ngshare's HTML 404 page for unknown paths).
 */
import { itConformsToOpenApi } from './test-support/openapi';
import { engines, startTestService, type TestService } from './test-support/harness';
import { client, expectOk, seedCourse } from './test-support/client';

/** mulberry32: a small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IDS = [
  'c1',
  'a1',
  'stu',
  'ins',
  'nope',
  '%2E%2E',
  '..',
  '.',
  '%25',
  '%',
  '%ZZ',
  '%C3%28',
  '%F0%9F%98%80',
  'emoji-%F0%9F%93%9A',
  'a%2Fb',
  'p+q',
  '%20x%20',
  'x'.repeat(300),
  '%E2%80%8B',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString'
];
const VALUES = [
  '',
  ' ',
  'true',
  'null',
  '[]',
  '{}',
  '[{}]',
  '"',
  '[{"path":"a","content":"YQ=="}]',
  '[{"path":"a","content":"YQ=="},{"path":"a","content":"YQ=="}]',
  '[{"username":"z","first_name":"","last_name":"","email":""}]',
  '2020-01-01 00:00:00.000000',
  '9999-12-31 23:59:59.999999 UTC',
  '\u0000',
  '\ud800',
  'x'.repeat(5000),
  '{"__proto__":{"admin":true}}',
  '[{"path":"__proto__","content":""}]',
  '1e400',
  '-0'
];
const ROUTES: Array<[string, string]> = [
  ['GET', 'courses'],
  ['POST', 'course/{c}'],
  ['DELETE', 'course/{c}'],
  ['GET', 'instructor/{c}/{u}'],
  ['POST', 'instructor/{c}/{u}'],
  ['DELETE', 'instructor/{c}/{u}'],
  ['GET', 'instructors/{c}'],
  ['GET', 'student/{c}/{u}'],
  ['POST', 'student/{c}/{u}'],
  ['DELETE', 'student/{c}/{u}'],
  ['GET', 'students/{c}'],
  ['POST', 'students/{c}'],
  ['GET', 'assignments/{c}'],
  ['GET', 'assignment/{c}/{a}'],
  ['POST', 'assignment/{c}/{a}'],
  ['DELETE', 'assignment/{c}/{a}'],
  ['GET', 'submissions/{c}/{a}'],
  ['GET', 'submissions/{c}/{a}/{u}'],
  ['POST', 'submission/{c}/{a}'],
  ['GET', 'submission/{c}/{a}/{u}'],
  ['GET', 'feedback/{c}/{a}/{u}'],
  ['POST', 'feedback/{c}/{a}/{u}'],
  ['GET', 'initialize-Data6ase'],
  ['GET', ''],
  ['GET', 'metrics']
];
const ARGS = [
  'files',
  'timestamp',
  'list_only',
  'students',
  'instructors',
  'first_name',
  'last_name',
  'email',
  'action'
];
const USERS = ['root', 'ins', 'stu', 'out', 'x'.repeat(200)];

describe.each(engines())('robustness on %s', engine => {
  let svc: TestService;

  beforeAll(async () => {
    // Not debug: the fuzzer must not clear or re-seed the database.
    svc = await startTestService({ engine, debug: false, admins: ['root'] });
    await seedCourse(client(svc), 'c1');
  });
  afterAll(() => svc.close());

  it('400 seeded odd requests: no 5xx, always the envelope', async () => {
    const random = rng(20261125);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const [method, template] = pick(ROUTES);
      const url =
        '/api/' +
        template.replace('{c}', pick(IDS)).replace('{a}', pick(IDS)).replace('{u}', pick(IDS));
      const args = new URLSearchParams({ user: pick(USERS) });
      const nArgs = Math.floor(random() * 4);
      for (let k = 0; k < nArgs; k++) {
        args.append(pick(ARGS), pick(VALUES));
      }
      const inQuery = random() < 0.4;
      const full = inQuery ? `${url}?${args}` : url;
      let req = svc.request[method.toLowerCase() as 'get'](full);
      const bodyKind = inQuery
        ? 'none'
        : pick(['form', 'form', 'multipart', 'json', 'text', 'bad-multipart']);
      if (bodyKind === 'form') {
        req = req.type('form').send(args.toString());
      } else if (bodyKind === 'multipart') {
        for (const [k, v] of args) {
          req = req.field(k, v);
        }
      } else if (bodyKind === 'json') {
        req = req
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(Object.fromEntries(args)));
      } else if (bodyKind === 'text') {
        req = req.set('Content-Type', 'text/plain').send(args.toString());
      } else if (bodyKind === 'bad-multipart') {
        req = req
          .set('Content-Type', pick(['multipart/form-data', 'multipart/form-data; boundary=xyz']))
          .send('--xyz\r\ngarbage');
      }
      const res = await req;
      const label = `#${i} ${method} ${full} (${bodyKind}) → ${res.status}`;
      const envelope =
        res.type === 'application/json' &&
        typeof res.body?.success === 'boolean' &&
        (res.body.success || typeof res.body.message === 'string');
      const notFoundPage = res.status === 404 && res.text === '<h1>404 Not Found</h1>\n';
      const page = res.status === 200 && /html|png|javascript|text\/plain/.test(res.type);
      if (res.status >= 500 || !(envelope || notFoundPage || page)) {
        failures.push(`${label}: ${res.text?.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    // ...and the service still works normally afterwards
    expectOk(await client(svc).get('/api/assignment/c1/a1', 'stu'));
  });
});

itConformsToOpenApi();
