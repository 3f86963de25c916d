/**
 * Two replicas (separate apps, pools and clocks) over one PostgreSQL
 * database and one storage folder, as on Kubernetes: concurrent work split
 * between them loses nothing and duplicates nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from './logging';
import { startService, type RunningService } from './server';
import { createTestDatabase, filesJson } from './test-support/harness';
import { VERSION } from './version';

const pg = process.env.NGSHARE_TEST_PG_URL ? describe : describe.skip;

pg('two replicas over PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let storage: string;
  let replicas: RunningService[];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    storage = mkdtempSync(path.join(tmpdir(), 'ngshare-replicas-'));
    const start = () =>
      startService({
        config: {
          prefix: '/api/',
          debug: false,
          admins: ['root'],
          mode: 'vngshare',
          hub: null,
          maxBodyBytes: 10 * 1024 * 1024,
          maxBodyBytesInFlight: 1024 * 1024 * 1024,
          gcGraceMs: 0,
          cookieSecret: 'x',
          version: VERSION
        },
        databaseUrl: db.url,
        storage,
        upgradeDb: true,
        host: '127.0.0.1',
        port: 0,
        logger: silentLogger()
      });
    // Both start at once: migrations must tolerate a concurrent start.
    replicas = await Promise.all([start(), start()]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.close()));
    await db.drop();
    rmSync(storage, { recursive: true, force: true });
  });

  const call = async (i: number, method: string, p: string, form?: Record<string, string>) => {
    const res = await fetch(replicas[i % 2].url + p, {
      method,
      body: form ? new URLSearchParams(form) : undefined
    });
    return (await res.json()) as Record<string, unknown>;
  };

  it('keeps every submission, each with its own increasing timestamp', async () => {
    expect(await call(0, 'POST', 'course/c', { user: 'root', instructors: '["t"]' })).toEqual({
      success: true
    });
    const students = Array.from({ length: 10 }, (_, i) => `s${i}`);
    await call(1, 'POST', 'students/c', {
      user: 't',
      students: JSON.stringify(
        students.map(u => ({ username: u, first_name: '', last_name: '', email: '' }))
      )
    });
    await call(0, 'POST', 'assignment/c/a', { user: 't', files: filesJson({ 'a.ipynb': 'r' }) });
    // 60 submissions: 10 students, plus 20 more by s0, split across both replicas.
    const jobs = [...students, ...students, ...Array(40).fill('s0')].map((u, i) =>
      call(i, 'POST', 'submission/c/a', { user: u, files: filesJson({ 'a.ipynb': `${u}-${i}` }) })
    );
    const answers = await Promise.all(jobs);
    expect(answers.every(a => a.success === true)).toBe(true);
    const listed = (await call(1, 'GET', 'submissions/c/a?user=t')).submissions as Array<{
      student_id: string;
      timestamp: string;
    }>;
    expect(listed).toHaveLength(60);
    const keys = new Set(listed.map(s => `${s.student_id} ${s.timestamp}`));
    expect(keys.size).toBe(60);
    const s0 = listed.filter(s => s.student_id === 's0').map(s => s.timestamp);
    expect(new Set(s0).size).toBe(42);
    // Every answered timestamp is listed, and each submission holds exactly what was sent.
    for (const [i, a] of answers.entries()) {
      const u = i < 20 ? students[i % 10] : 's0';
      const got = await call(i + 1, 'GET', `submission/c/a/${u}?user=t&timestamp=${a.timestamp}`);
      expect(
        Buffer.from((got.files as Array<{ content: string }>)[0].content, 'base64').toString()
      ).toBe(`${u}-${i}`);
    }
  });
});
