/**
 * Sizes real courses reach: a bulk roster of 1,200 students and a release
 * of 600 files in one request, on every engine (SQLite's multi-row inserts
 * are limited to 500 rows per statement; lists must stay complete and ordered).
 */
import { itConformsToOpenApi } from './test-support/openapi';
import { backends, startTestService, type TestService } from './test-support/harness';
import { b64, client, expectOk, filesOf, type Client } from './test-support/client';

describe.each(backends())('scale on %s, %s storage', (engine, storage) => {
  let svc: TestService;
  let api: Client;
  beforeAll(async () => {
    svc = await startTestService({ engine, storage });
    api = client(svc);
    expectOk(await api.post('/api/course/big', 'root', { instructors: '["ins"]' }));
  });
  afterAll(() => svc.close());

  it('adds 1,200 students in one bulk request, status index-aligned, list complete and ordered', async () => {
    const students = Array.from({ length: 1200 }, (_, i) => ({
      username: `student-${String(i).padStart(4, '0')}`,
      first_name: `F${i}`,
      last_name: `L${i}`,
      email: `s${i}@example.org`
    }));
    students.splice(600, 0, { username: 'ins', first_name: '', last_name: '', email: '' });
    const res = expectOk(
      await api.post('/api/students/big', 'ins', { students: JSON.stringify(students) })
    );
    expect(res.status).toHaveLength(1201);
    expect(res.status[600]).toEqual({
      username: 'ins',
      success: false,
      message: 'Cannot add instructor as student'
    });
    expect(res.status[1200]).toEqual({ username: 'student-1199', success: true });
    const listed = expectOk(await api.get('/api/students/big', 'ins')).students;
    expect(listed).toHaveLength(1200);
    expect(listed[1199]).toEqual(students[1200]);
    expect(listed.map((s: { username: string }) => s.username)).toEqual(
      students.filter(s => s.username !== 'ins').map(s => s.username)
    );
  });

  it('releases 600 files (300 distinct contents) in one request and returns them in order', async () => {
    const entries = Array.from(
      { length: 600 },
      (_, i) => [`dir${i % 7}/file-${i}.txt`, b64(`content ${i % 300}`)] as [string, string]
    );
    expectOk(await api.post('/api/assignment/big/many', 'ins', { files: filesOf(entries) }));
    const files = expectOk(await api.get('/api/assignment/big/many', 'student-0001')).files;
    expect(files.map((f: { path: string }) => f.path)).toEqual(entries.map(e => e[0]));
    expect(Buffer.from(files[599].content, 'base64').toString()).toBe('content 299');
    expect(Number((await svc.knex('blobs').count({ n: '*' }))[0].n)).toBe(300);
  });
});

itConformsToOpenApi();
