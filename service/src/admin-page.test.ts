/**
 * The admin page (`<prefix>admin`): admins only, read-only unless --debug, every value escaped,
 * search, health of the database and the hub, storage used, version, recent errors. Also the
 * /metrics refusal, which gives its reason only with --debug.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubClient } from './hub/hub-client';
import { AdminOverview } from './services/admin-overview';
import { RecentErrors } from './services/recent-errors';
import type { AdminQueries } from './store/admin-queries';
import {
  b64,
  client,
  expectError,
  expectOk,
  filesOf,
  seedCourse,
  type Client
} from './test-support/client';
import { engines, startTestService, type TestService } from './test-support/harness';
import { StandInHub } from './test-support/stand-in-hub';
import { VERSION } from './version';

const EVIL = '<script>alert("x")</script>';

describe.each(engines())('admin page on %s, without --debug', engine => {
  let svc: TestService;
  let api: Client;
  beforeAll(async () => {
    svc = await startTestService({ engine, debug: false, admins: ['root'] });
    api = client(svc);
    await seedCourse(api, 'phys101');
    await seedCourse(api, 'chem202');
    expectOk(
      await api.post('/api/student/chem202/mallory', 'ins', {
        first_name: EVIL,
        last_name: 'O\'Neil & "co"',
        email: 'm@example.org'
      })
    );
    expectOk(
      await api.post('/api/assignment/chem202/big', 'ins', {
        files: filesOf([['data.bin', b64(Buffer.alloc(3000, 7))]])
      })
    );
  });
  afterAll(() => svc.close());

  it('is for admins only: others get a bare 403', async () => {
    expectError(await api.get('/api/admin', 'ins'), 403, 'Permission denied');
    expectError(await api.get('/api/admin', 'stu', { format: 'json' }), 403, 'Permission denied');
    // a page without a user parameter is the user "user" in vngshare mode
    expectError(await api.get('/api/admin'), 403, 'Permission denied');
  });

  it('gives courses with sizes and activity, members, assignments and submissions', async () => {
    const data = expectOk(await api.get('/api/admin', 'root', { format: 'json' }));
    expect(data.version).toBe(VERSION);
    expect(data.database).toMatchObject({
      ok: true,
      engine: engine === 'postgres' ? 'PostgreSQL' : 'SQLite'
    });
    expect(data.hub).toMatchObject({ ok: true, url: null });
    expect(data.storage).toMatchObject({ ok: true, detail: 'answers' });
    expect(data.totals).toEqual({ courses: 2, users: 5, assignments: 3, submissions: 2 });
    expect(data.courses.map((c: { id: string }) => c.id)).toEqual(['chem202', 'phys101']);
    const chem = data.courses[0];
    expect(chem).toMatchObject({ instructors: 2, students: 3, submissions: 1 });
    expect(chem.last_activity).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(chem.assignments).toEqual([
      { id: 'a1', submissions: 1, students_submitted: 1, bytes: 13 },
      { id: 'big', submissions: 0, students_submitted: 0, bytes: 3000 }
    ]);
    // distinct files: a1.ipynb (13), the submission (14), the feedback (11), data.bin (3000)
    expect(chem.bytes).toBe(13 + 14 + 11 + 3000);
    expect(chem.recent_submissions).toEqual([
      { assignment: 'a1', student: 'stu', timestamp: chem.last_activity, has_feedback: true }
    ]);
    expect(chem.members).toContainEqual({
      user: 'mallory',
      role: 'student',
      first_name: EVIL,
      last_name: 'O\'Neil & "co"',
      email: 'm@example.org'
    });
    // the same bytes in both courses are stored once
    expect(data.storage).toMatchObject({ blobs: 4, bytes: 13 + 14 + 11 + 3000, files: 7 });
  });

  it('escapes everything, is read-only and links no debug action', async () => {
    const res = await api.get('/api/admin', 'root');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.text;
    expect(html).not.toContain(EVIL);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('O&#39;Neil &amp; &quot;co&quot;');
    expect(html).toContain('Read-only');
    expect(html).not.toMatch(/action=(clear|init)/);
    expect(html).not.toMatch(/<form[^>]*method="post"/i);
    expect(html).toContain(`ngshare-ts ${VERSION}`);
    expect(html).toContain('3.0 KiB');
  });

  it('searches courses, members, names, emails and assignments', async () => {
    const ids = async (q: string) =>
      expectOk(await api.get('/api/admin', 'root', { format: 'json', q })).courses.map(
        (c: { id: string; members: Array<{ user: string }> }) => [c.id, c.members.map(m => m.user)]
      );
    expect(await ids('PHYS')).toEqual([['phys101', ['ins', 'ins2', 'stu', 'stu2']]]);
    expect(await ids('mallory')).toEqual([['chem202', ['mallory']]]);
    expect(await ids('alert')).toEqual([['chem202', ['mallory']]]);
    expect(await ids('stu2@example')).toEqual([
      ['chem202', ['stu2']],
      ['phys101', ['stu2']]
    ]);
    expect(await ids('nobody-here')).toEqual([]);
    const html = (await api.get('/api/admin', 'root', { q: '<b>"' })).text;
    expect(html).toContain('value="&lt;b&gt;&quot;"');
    expect(html).toContain('0 courses match');
  });

  it('lists recent failed requests without their query string', async () => {
    await api.get('/api/assignments/nope101', 'stu', { token: 'secret-token-value' });
    const data = expectOk(await api.get('/api/admin', 'root', { format: 'json' }));
    const [last] = data.recent_errors;
    expect(last).toMatchObject({
      method: 'GET',
      path: '/api/assignments/nope101',
      status: 404,
      message: 'Course not found',
      user: 'stu'
    });
    expect(JSON.stringify(data.recent_errors)).not.toContain('secret-token-value');
    expect(data.recent_errors.some((e: { status: number }) => e.status === 403)).toBe(true);
  });

  it('the dump tables leave out the legacy released/due columns; the JSON keeps them', async () => {
    const html = (
      await api.get('/api/initialize-Data6ase', 'root', {
        action: 'dump',
        'human-readable': 'true'
      })
    ).text;
    expect(html).toContain('<th>course_id</th>');
    expect(html).not.toContain('<th>released</th>');
    expect(html).not.toContain('<th>due</th>');
    expect(html).toContain('href="admin?user=root"');
    const json = expectOk(await api.get('/api/initialize-Data6ase', 'root', { action: 'dump' }));
    expect(json.assignments[0]).toMatchObject({ released: false, due: null });
  });

  it('the home page links it for admins only', async () => {
    expect((await api.get('/api/', 'root')).text).toContain('href="admin?user=root"');
    expect((await api.get('/api/', 'ins')).text).not.toContain('href="admin');
  });

  it('/metrics refuses without a reason', async () => {
    expectError(await api.get('/api/metrics', 'stu'), 403, 'Permission denied');
  });
});

describe('admin page with --debug', () => {
  let svc: TestService;
  let api: Client;
  beforeAll(async () => {
    svc = await startTestService({ debug: true, admins: ['root'] });
    api = client(svc);
  });
  afterAll(() => svc.close());

  it('links the debug actions and gives the reason of a refusal', async () => {
    const html = (await api.get('/api/admin', 'root')).text;
    expect(html).toContain('Debug mode');
    expect(html).toContain('initialize-Data6ase?user=root&amp;action=clear');
    expectError(
      await api.get('/api/admin', 'someone'),
      403,
      'Permission denied (the admin page is for admins)'
    );
    expectError(
      await api.get('/api/metrics', 'someone'),
      403,
      'Permission denied (metrics are for admins)'
    );
  });
});

describe('admin page in hub mode', () => {
  const hub = new StandInHub();
  let svc: TestService;
  beforeAll(async () => {
    await hub.start();
    hub.tokens.set('tok-root', { name: 'root' });
    hub.tokens.set('tok-ins', { name: 'ins' });
    svc = await startTestService({
      hub: new HubClient({
        apiUrl: hub.url,
        timeoutMs: 2000,
        cacheTtlMs: 60_000,
        negativeTtlMs: 1000
      }),
      admins: ['root'],
      debug: false
    });
  });
  afterAll(async () => {
    await svc.close();
    await hub.stop();
  });

  it('sends a browser without a login to the hub, refuses non-admins, shows the hub', async () => {
    const login = await svc.request.get('/api/admin');
    expect(login.status).toBe(302);
    expect(login.headers.location).toMatch(/^\/hub\/api\/oauth2\/authorize\?/);
    const other = await svc.request.get('/api/admin').set('Authorization', 'token tok-ins');
    expect({ status: other.status, body: other.body }).toEqual({
      status: 403,
      body: { success: false, message: 'Permission denied' }
    });
    const bad = await svc.request.get('/api/admin').set('Authorization', 'token tok-wrong');
    expect(bad.status).toBe(401);
    const json = await svc.request
      .get('/api/admin?format=json')
      .set('Authorization', 'token tok-root');
    expect(json.status).toBe(200);
    expect(json.headers['cache-control']).toBe('no-store');
    expect(json.body.hub).toMatchObject({
      ok: true,
      url: hub.url,
      detail: `JupyterHub ${StandInHub.VERSION}`
    });
    expect(json.body.recent_errors.slice(0, 2)).toMatchObject([
      { status: 401, path: '/api/admin', user: null },
      { status: 403, path: '/api/admin', user: 'ins' }
    ]);
    expect(JSON.stringify(json.body)).not.toContain('tok-');
    const html = await svc.request.get('/api/admin').set('Authorization', 'token tok-root');
    expect(html.text).toContain(`JupyterHub ${StandInHub.VERSION}`);
    expect(html.text).not.toContain('?user=');
  });
});

describe('AdminOverview health', () => {
  const queries = (): AdminQueries =>
    ({
      engine: () => 'SQLite',
      storage: async () => ({ blobs: 0, bytes: 0, files: 0 }),
      totals: async () => ({ courses: 0, users: 0, assignments: 0, submissions: 0 }),
      courses: async () => []
    }) as unknown as AdminQueries;
  let hub: Server;
  let hubUrl: string;
  let status = 200;
  beforeAll(async () => {
    hub = createServer((_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ version: '5.3.0' }));
    });
    await new Promise<void>(resolve => hub.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub/api`;
  });
  afterAll(() => new Promise(resolve => hub.close(resolve)));
  const overview = (url: string | null, fail = false) =>
    new AdminOverview({
      queries: queries(),
      ready: async () => ({
        database: fail ? 'unavailable (SQLITE_CANTOPEN: unable to open database file)' : 'ok',
        storage: 'ok'
      }),
      errors: new RecentErrors(),
      mode: 'hub',
      debug: false,
      admins: ['root'],
      hub:
        url === null
          ? null
          : new HubClient({ apiUrl: url, timeoutMs: 1000, cacheTtlMs: 0, negativeTtlMs: 0 })
    });

  it('reports a hub that answers, one that fails and one that is down', async () => {
    status = 200;
    expect((await overview(hubUrl).collect()).hub).toMatchObject({
      ok: true,
      detail: 'JupyterHub 5.3.0'
    });
    status = 503;
    expect((await overview(hubUrl).collect()).hub).toMatchObject({ ok: false, detail: 'HTTP 503' });
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    expect((await overview(`http://127.0.0.1:${port}/hub/api`).collect()).hub).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^unreachable \(.*ECONNREFUSED/)
    });
  });

  it('reports a failing database and shows no data then', async () => {
    const data = await overview(null, true).collect();
    expect(data.database).toMatchObject({ ok: false, detail: /SQLITE_CANTOPEN/ });
    expect(data.courses).toEqual([]);
  });

  it('keeps only the newest errors', () => {
    const errors = new RecentErrors(2);
    for (const n of [1, 2, 3]) {
      errors.add({
        time: '',
        method: 'GET',
        path: `/p${n}`,
        status: 500,
        message: '',
        user: null,
        request_id: ''
      });
    }
    expect(errors.list().map(e => e.path)).toEqual(['/p3', '/p2']);
  });
});
