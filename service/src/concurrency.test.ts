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
import { engines, startTestService, type TestService } from './test-support/harness';
import { recordingHandler } from './test-support/response-recorder';
import { b64, client, expectOk, filesOf, type Client } from './test-support/client';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const N = 50;

describe.each(engines())('concurrent submissions on %s', engine => {
  let svc: TestService;
  let api: Client;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    svc = await startTestService({ engine });
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

itConformsToOpenApi();
