/**
 * Three service processes (the real command) on one PostgreSQL database and
 * one S3 bucket, each with its own empty working and temp folder: nothing is
 * shared but the database and the object store, as on Kubernetes with no
 * ReadWriteMany volume (issue 10, part 3).
 *
 *  - 200 students send 1,000 submissions spread over the three while one
 *    replica is killed with SIGKILL mid-rush and restarted: every acknowledged
 *    submission is listed exactly once and downloads byte-identical from every
 *    replica; nothing listed is half-written; the other replicas answer
 *    throughout.
 *  - A rolling restart (SIGTERM, one replica after the other) under load
 *    loses no request of a client that retries on connection errors.
 *
 * Runs when NGSHARE_TEST_PG_URL and NGSHARE_TEST_S3_URL are set (npm test
 * starts both). The figures go to the console for the closing notes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, freePort, startCli, type CliRun } from './test-support/cli-process';
import {
  createTestBucket,
  createTestDatabase,
  testS3Env,
  testS3Settings
} from './test-support/harness';

const ready =
  process.env.NGSHARE_TEST_PG_URL && process.env.NGSHARE_TEST_S3_URL ? describe : describe.skip;

const STUDENTS = 200;
const PER_STUDENT = 5;
const CONCURRENCY = 12;
const COURSE = 'rep101';

interface Replica {
  port: number;
  dir: string;
  run?: CliRun;
}

interface Sent {
  student: string;
  /** the notebook's text; its MD5 is what a download must give back */
  content: string;
  timestamp?: string;
}

/** A connection-level failure (refused, reset, closed mid-answer): the request may be retried. */
function isConnectionError(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const text = `${(err as Error).message} ${cause?.code ?? ''} ${cause?.message ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|EPIPE|socket|other side closed|fetch failed|terminated/i.test(
    text
  );
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

ready('three replicas as processes over PostgreSQL and S3, no shared folder', () => {
  let db: { url: string; drop(): Promise<void> };
  let bucket: { bucket: string; drop(): Promise<void> };
  const replicas: Replica[] = [];
  const base = (i: number) => `http://127.0.0.1:${replicas[i].port}/api/`;

  const start = async (r: Replica): Promise<void> => {
    const s3 = testS3Settings();
    r.run = await startCli(
      [
        '--vngshare',
        '--host',
        '127.0.0.1',
        '--port',
        String(r.port),
        '--prefix',
        '/api/',
        '--database',
        db.url,
        '--storage',
        `s3://${bucket.bucket}/replicas`,
        '--s3-endpoint',
        s3.endpoint!,
        '--s3-force-path-style',
        '--admins',
        'root',
        '--gc-grace',
        '3600'
      ],
      {
        ...testS3Env(),
        TMPDIR: r.dir,
        HOME: r.dir
      },
      60_000,
      r.dir
    );
  };

  const stopped = async (r: Replica, signal: NodeJS.Signals): Promise<number | string> => {
    const run = r.run!;
    run.proc.kill(signal);
    return run.exited;
  };

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase('postgres');
    bucket = await createTestBucket();
    for (let i = 0; i < 3; i++) {
      replicas.push({
        port: await freePort(),
        dir: mkdtempSync(path.join(tmpdir(), `ngshare-replica${i}-`))
      });
    }
    // all three at once: the migrations and the bucket check must tolerate it
    await Promise.all(replicas.map(start));
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) {
      if (r.run && r.run.proc.exitCode === null && r.run.proc.signalCode === null) {
        r.run.proc.kill('SIGKILL');
        await r.run.exited;
      }
      rmSync(r.dir, { recursive: true, force: true });
    }
    await bucket?.drop();
    await db?.drop();
  }, 120_000);

  const call = async (
    i: number,
    method: string,
    p: string,
    form?: Record<string, string>
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(base(i) + p, {
      method,
      body: form ? new URLSearchParams(form) : undefined,
      signal: AbortSignal.timeout(60_000)
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const submission = (s: Sent) => ({
    user: s.student,
    files: JSON.stringify([
      { path: 'answer.ipynb', content: Buffer.from(s.content).toString('base64') }
    ])
  });

  /** Runs `jobs` with CONCURRENCY workers; each job is retried by `send` as it sees fit. */
  const pool = async <T>(jobs: T[], work: (job: T, n: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const n = next++;
          await work(jobs[n], n);
        }
      })
    );
  };

  /** Every submission on the server, as one replica lists it: "student timestamp" keys. */
  const listed = async (i: number): Promise<string[]> => {
    const { body } = await call(i, 'GET', `submissions/${COURSE}/a?user=t`);
    return (body.submissions as Array<{ student_id: string; timestamp: string }>).map(
      s => `${s.student_id} ${s.timestamp}`
    );
  };

  /** MD5 of the one notebook of a submission, downloaded from replica `i`. */
  const downloaded = async (i: number, key: string): Promise<string> => {
    const [student, ...ts] = key.split(' ');
    const q = new URLSearchParams({ user: 't', timestamp: ts.join(' ') });
    const { status, body } = await call(i, 'GET', `submission/${COURSE}/a/${student}?${q}`);
    if (status !== 200) {
      throw new Error(`download of ${key} from replica ${i}: ${status} ${JSON.stringify(body)}`);
    }
    const files = body.files as Array<{ path: string; content: string }>;
    expect(files.map(f => f.path)).toEqual(['answer.ipynb']);
    return md5(Buffer.from(files[0].content, 'base64').toString());
  };

  const students = Array.from({ length: STUDENTS }, (_, k) => `s${k}`);
  const acknowledged = new Map<string, Sent>();

  it('sets up a course of 200 students across the replicas', async () => {
    expect(
      (await call(0, 'POST', `course/${COURSE}`, { user: 'root', instructors: '["t"]' })).body
    ).toEqual({ success: true });
    const roster = students.map(u => ({ username: u, first_name: u, last_name: 'R', email: '' }));
    expect(
      (await call(1, 'POST', `students/${COURSE}`, { user: 't', students: JSON.stringify(roster) }))
        .body.success
    ).toBe(true);
    const files = JSON.stringify([
      { path: 'answer.ipynb', content: Buffer.from('{}').toString('base64') }
    ]);
    expect((await call(2, 'POST', `assignment/${COURSE}/a`, { user: 't', files })).body).toEqual({
      success: true
    });
    for (let i = 0; i < 3; i++) {
      const { body } = await call(i, 'GET', `students/${COURSE}?user=t`);
      expect((body.students as unknown[]).length).toBe(STUDENTS);
    }
  });

  it('loses nothing when a replica is killed (SIGKILL) mid-rush and restarted', async () => {
    const jobs: Sent[] = [];
    for (let round = 0; round < PER_STUDENT; round++) {
      for (const student of students) {
        // distinct bytes per submission (some shared between students, so blobs are reused)
        const body = round === 0 ? 'shared starter' : randomBytes(1500).toString('hex');
        jobs.push({ student, content: JSON.stringify({ student, round, body }) });
      }
    }
    const victim = 1;
    let victimDown = false;
    const failures = { victim: 0, others: 0, refused: 0 };
    const otherErrors: string[] = [];
    let killedAt = -1;
    let restartMs = 0;
    // a reader that lists and downloads the newest submissions throughout the rush
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        const i = reads % 3 === victim ? 0 : reads % 3;
        const keys = await listed(i);
        for (const key of keys.slice(-3)) {
          await downloaded(i, key); // a listed submission is complete: it downloads
        }
        reads++;
      }
    })();

    await pool(jobs, async (job, n) => {
      if (n === 300) {
        killedAt = acknowledged.size;
        victimDown = true;
        expect(await stopped(replicas[victim], 'SIGKILL')).toBe('SIGKILL');
        // the pod comes back: a new process on the same port, same database and bucket
        void (async () => {
          await new Promise(r => setTimeout(r, 1000));
          const t0 = Date.now();
          await start(replicas[victim]);
          restartMs = Date.now() - t0;
          victimDown = false;
        })();
      }
      // spread over the replicas; while the victim is down its share goes to the others
      let i = n % 3;
      for (let attempt = 0; attempt < 20; attempt++) {
        if (i === victim && victimDown) {
          i = (i + 1) % 3;
        }
        try {
          const { status, body } = await call(i, 'POST', `submission/${COURSE}/a`, submission(job));
          if (status !== 200 || body.success !== true) {
            failures.refused++;
            otherErrors.push(`${status} ${JSON.stringify(body)}`);
            return;
          }
          job.timestamp = body.timestamp as string;
          acknowledged.set(`${job.student} ${job.timestamp}`, job);
          return;
        } catch (err) {
          if (!isConnectionError(err)) {
            throw err;
          }
          if (i === victim) {
            failures.victim++;
          } else {
            failures.others++;
            otherErrors.push(String((err as Error).cause ?? err));
          }
          i = (i + 1) % 3;
        }
      }
      throw new Error(`submission ${n} got no answer in 20 attempts`);
    });
    reading = false;
    await reader;
    while (victimDown) {
      await new Promise(r => setTimeout(r, 100));
    }

    // what every replica lists, compared with what was acknowledged
    const lists = await Promise.all([0, 1, 2].map(listed));
    for (const l of lists) {
      expect(l).toEqual(lists[0]);
    }
    const counts = new Map<string, number>();
    for (const key of lists[0]) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const missing = [...acknowledged.keys()].filter(k => !counts.has(k));
    const duplicated = [...counts.entries()].filter(([, c]) => c > 1).map(([k]) => k);
    // listed but never acknowledged: committed while the killed replica's answer was lost
    const unacknowledged = lists[0].filter(k => !acknowledged.has(k));
    let corrupt = 0;
    for (const [key, sent] of acknowledged) {
      for (let i = 0; i < 3; i++) {
        if ((await downloaded(i, key)) !== md5(sent.content)) {
          corrupt++;
        }
      }
    }
    for (const key of unacknowledged) {
      const [student] = key.split(' ');
      const got = await downloaded(0, key);
      expect(jobs.some(j => j.student === student && md5(j.content) === got)).toBe(true);
    }
    console.log(
      `replicas (SIGKILL of replica ${victim} after ${killedAt} acknowledged, back in ` +
        `${restartMs} ms): ${jobs.length} sent, ${acknowledged.size} acknowledged, ` +
        `${missing.length} lost, ${duplicated.length} listed twice, ${corrupt} corrupt ` +
        `downloads of ${acknowledged.size * 3}, ${unacknowledged.length} committed but ` +
        `unacknowledged, connection errors: ${failures.victim} on the killed replica, ` +
        `${failures.others} on the others; ${reads} list+download rounds during the rush`
    );
    expect(acknowledged.size).toBe(jobs.length);
    expect({ missing, duplicated, corrupt, refused: failures.refused }).toEqual({
      missing: [],
      duplicated: [],
      corrupt: 0,
      refused: 0
    });
    expect({ otherErrors, others: failures.others }).toEqual({ otherErrors: [], others: 0 });
    expect(killedAt).toBeGreaterThan(0);
    expect(acknowledged.size - killedAt).toBeGreaterThan(500);
  }, 600_000);

  it('a rolling restart (SIGTERM one by one) under load loses no retried request', async () => {
    const before = acknowledged.size;
    const jobs: Sent[] = students.map(student => ({
      student,
      content: JSON.stringify({ student, rolling: randomBytes(800).toString('hex') })
    }));
    let retries = 0;
    let lost = 0;
    const exits: Array<number | string> = [];
    const stopMs: number[] = [];
    const roll = (async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise(r => setTimeout(r, 700));
        const t0 = Date.now();
        exits.push(await stopped(replicas[i], 'SIGTERM'));
        stopMs.push(Date.now() - t0);
        await start(replicas[i]);
      }
    })();
    await pool(jobs, async (job, n) => {
      let i = n % 3;
      for (let attempt = 0; attempt < 30; attempt++) {
        try {
          const { status, body } = await call(i, 'POST', `submission/${COURSE}/a`, submission(job));
          if (status === 200 && body.success === true) {
            job.timestamp = body.timestamp as string;
            acknowledged.set(`${job.student} ${job.timestamp}`, job);
            return;
          }
          lost++;
          return;
        } catch (err) {
          if (!isConnectionError(err)) {
            throw err;
          }
          retries++;
          i = (i + 1) % 3;
          await new Promise(r => setTimeout(r, 50));
        }
      }
      lost++;
    });
    await roll;
    const keys = await listed(2);
    const unacknowledged = keys.filter(k => !acknowledged.has(k));
    let corrupt = 0;
    for (const [n, job] of jobs.entries()) {
      const key = `${job.student} ${job.timestamp}`;
      if (!keys.includes(key) || (await downloaded(n % 3, key)) !== md5(job.content)) {
        corrupt++;
      }
    }
    console.log(
      `rolling restart: ${jobs.length} sent, ${acknowledged.size - before} acknowledged, ` +
        `${lost} lost, ${retries} retries on connection errors, ${unacknowledged.length} ` +
        `committed but unacknowledged, ${corrupt} missing or corrupt; exits ${exits.join(', ')} after ${stopMs.join(', ')} ms`
    );
    // 0: each stopped on its own, within the 10 s before the forced exit (1)
    expect(exits).toEqual([0, 0, 0]);
    expect(stopMs.every(ms => ms < 5000)).toBe(true);
    expect({ lost, corrupt, acknowledged: acknowledged.size - before }).toEqual({
      lost: 0,
      corrupt: 0,
      acknowledged: jobs.length
    });
  }, 600_000);
});
