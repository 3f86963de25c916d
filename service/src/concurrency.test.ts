/**
 * Overlapping requests: 50 simultaneous submissions by 50 students, and 50
 * by one student, over one real listening server. Nothing may be lost or
 * duplicated, every submission keeps its own files, and a student's
 * timestamps are unique (consecutive ones strictly increasing).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { itConformsToOpenApi } from './test-support/openapi';
import { backends, startTestService, type TestService } from './test-support/harness';
import { recordingHandler } from './test-support/response-recorder';
import {
  b64,
  client,
  expectError,
  expectOk,
  filesOf,
  seedCourse,
  type Client
} from './test-support/client';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const N = 50;

describe.each(backends())('concurrent submissions on %s, %s storage', (engine, storage) => {
  let svc: TestService;
  let api: Client;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    svc = await startTestService({ engine, storage });
    api = client(svc);
    server = createServer(recordingHandler(svc.exchange.app.callback(), '/api/'));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expectOk(await api.post('/api/course/c1', 'root', { instructors: '["ins"]' }));
    const students = Array.from({ length: N }, (_, i) => ({
      username: `s${i}`,
      first_name: '',
      last_name: '',
      email: ''
    }));
    expectOk(await api.post('/api/students/c1', 'ins', { students: JSON.stringify(students) }));
    for (const a of ['many', 'one', 'same']) {
      expectOk(await api.post(`/api/assignment/c1/${a}`, 'ins', { files: '[]' }));
    }
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    await svc.close();
  });

  const submit = (assignment: string, user: string, content: string) =>
    supertest(base)
      .post(`/api/submission/c1/${assignment}`)
      .type('form')
      .send(
        new URLSearchParams({ user, files: filesOf([['answer.txt', b64(content)]]) }).toString()
      );

  it(`${N} students at once: none lost or duplicated, each with its own files`, async () => {
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => submit('many', `s${i}`, `answer of s${i}`))
    );
    const stamps = new Map<string, string>();
    results.forEach((res, i) => {
      expect({ i, status: res.status, success: res.body.success }).toEqual({
        i,
        status: 200,
        success: true
      });
      stamps.set(`s${i}`, res.body.timestamp);
    });
    const listed = expectOk(await api.get('/api/submissions/c1/many', 'ins')).submissions as Array<{
      student_id: string;
      timestamp: string;
    }>;
    expect(listed).toHaveLength(N);
    expect(new Set(listed.map(s => s.student_id)).size).toBe(N);
    for (const s of listed) {
      expect(s.timestamp).toBe(stamps.get(s.student_id));
    }
    for (let i = 0; i < N; i += 7) {
      const got = expectOk(await api.get(`/api/submission/c1/many/s${i}`, 'ins'));
      expect(got.files).toEqual([
        {
          path: 'answer.txt',
          checksum: md5(`answer of s${i}`),
          content: `${b64(`answer of s${i}`)}\n`
        }
      ]);
    }
  });

  it(`${N} submissions by one student at once: unique timestamps, none lost, files not mixed up`, async () => {
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => submit('one', 's0', `attempt ${i}`))
    );
    const byStamp = new Map<string, number>();
    results.forEach((res, i) => {
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
      expect(res.body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
      byStamp.set(res.body.timestamp, i);
    });
    expect(byStamp.size).toBe(N);
    const listed = expectOk(await api.get('/api/submissions/c1/one/s0', 's0')).submissions.map(
      (s: { timestamp: string }) => s.timestamp
    );
    expect(listed).toHaveLength(N);
    expect(new Set(listed)).toEqual(new Set(byStamp.keys()));
    const sorted = [...byStamp.keys()].sort();
    // The latest is the greatest timestamp
    expect(expectOk(await api.get('/api/submission/c1/one/s0', 'ins')).timestamp).toBe(
      sorted[N - 1]
    );
    for (const ts of sorted.filter((_, k) => k % 5 === 0)) {
      const got = expectOk(await api.get('/api/submission/c1/one/s0', 'ins', { timestamp: ts }));
      expect(Buffer.from(got.files[0].content, 'base64').toString()).toBe(
        `attempt ${byStamp.get(ts)}`
      );
    }
    // After the burst, the next submission is later than all of them
    const next = expectOk(
      await api.post('/api/submission/c1/one', 's0', { files: '[]' })
    ).timestamp;
    expect(next > sorted[N - 1]).toBe(true);
  });

  it(`${N} identical uploads at once are stored once and all readable`, async () => {
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => submit('same', `s${i}`, 'same bytes'))
    );
    results.forEach(res => expect(res.status).toBe(200));
    const rows = await svc
      .knex('blobs')
      .where({ md5: md5('same bytes') })
      .count({ n: '*' });
    expect(Number(rows[0].n)).toBe(1);
    for (let i = 0; i < N; i += 10) {
      const got = expectOk(await api.get(`/api/submission/c1/same/s${i}`, 'ins'));
      expect(got.files[0].checksum).toBe(md5('same bytes'));
    }
  });
});

describe.each(backends())('overlapping writes on %s, %s storage', (engine, storage) => {
  let svc: TestService;
  let api: Client;
  let timestamp: string;
  beforeAll(async () => {
    svc = await startTestService({ engine, storage });
    api = client(svc);
    timestamp = (await seedCourse(api, 'c1')).timestamp;
  });
  afterAll(() => svc.close());

  it('10 simultaneous feedback replacements leave exactly one of them (not their union)', async () => {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.post('/api/feedback/c1/a1/stu', 'ins', {
            timestamp,
            files: filesOf([[`fb${i}.html`, b64(`round ${round} version ${i}`)]])
          })
        )
      );
      results.forEach(res => expectOk(res));
      const files = expectOk(await api.get('/api/feedback/c1/a1/stu', 'stu', { timestamp })).files;
      expect({ round, count: files.length }).toEqual({ round, count: 1 });
    }
  });

  it('uploads sharing contents in opposite orders do not deadlock', async () => {
    for (let round = 0; round < 6; round++) {
      const entries: Array<[string, string]> = Array.from({ length: 40 }, (_, k) => [
        `f${k}`,
        b64(`shared ${round} ${k}`)
      ]);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.post('/api/submission/c1/a1', i % 2 ? 'stu' : 'stu2', {
            files: filesOf(i % 2 ? [...entries].reverse() : entries)
          })
        )
      );
      results.forEach((res, i) =>
        expect({ round, i, status: res.status }).toEqual({ round, i, status: 200 })
      );
    }
  });

  it('simultaneous roster changes of one course: no errors, one record', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post('/api/instructor/c1/newins', 'root', {
          first_name: `f${i}`,
          last_name: '',
          email: ''
        })
      )
    );
    results.forEach(res => expectOk(res));
    const bulk = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.post('/api/students/c1', 'ins', {
          students: JSON.stringify([
            { username: 'bulk1', first_name: String(i), last_name: '', email: '' }
          ])
        })
      )
    );
    bulk.forEach(res => expectOk(res));
    const instructors = expectOk(await api.get('/api/instructors/c1', 'ins')).instructors;
    expect(instructors.filter((x: { username: string }) => x.username === 'newins')).toHaveLength(
      1
    );
    const students = expectOk(await api.get('/api/students/c1', 'ins')).students;
    expect(students.filter((x: { username: string }) => x.username === 'bulk1')).toHaveLength(1);
  });

  it('writes racing the deletion of their course or assignment get a 404, never a 500', async () => {
    expectOk(await api.post('/api/course/doomed', 'root', { instructors: '["ins"]' }));
    expectOk(
      await api.post('/api/student/doomed/stu', 'ins', { first_name: '', last_name: '', email: '' })
    );
    expectOk(await api.post('/api/assignment/doomed/a', 'ins', { files: '[]' }));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i === 4
          ? api.del('/api/course/doomed', 'root')
          : i % 3 === 0
            ? api.post(`/api/student/doomed/s${i}`, 'ins', {
                first_name: '',
                last_name: '',
                email: ''
              })
            : i % 3 === 1
              ? api.post('/api/submission/doomed/a', 'stu', { files: '[]' })
              : api.post(`/api/assignment/doomed/n${i}`, 'ins', { files: '[]' })
      )
    );
    for (const res of results) {
      expect([200, 403, 404]).toContain(res.status);
    }
    expectError(await api.get('/api/assignments/doomed', 'root'), 404, 'Course not found');
  });
});

itConformsToOpenApi();
