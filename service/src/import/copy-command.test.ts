/**
 * `ngshare copy`: a deployment on SQLite + a folder moved to every engine ×
 * storage this run has (PostgreSQL + S3 among them when configured) answers
 * every read the same afterwards, takes new rows, survives an interrupted
 * copy (finished with --force) and refuses a damaged source file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createKnex } from '../db/knex-factory';
import { parseDatabaseUrl } from '../db/database-url';
import type { BlobStorage } from '../storage/blob-storage';
import { LocalBlobStorage } from '../storage/local-blob-storage';
import {
  backends,
  filesJson,
  startTestService,
  testS3Env,
  testS3Settings,
  type TestService
} from '../test-support/harness';
import { captureOutput } from '../test-support/capture-output';
import { copyDeployment, runCopy } from './copy-command';

const copyCli = (argv: string[]) => captureOutput(() => runCopy(argv));

/** A small semester on the source: roster, release, submissions, feedback, a deadline. */
async function fill(svc: TestService): Promise<void> {
  const r = svc.request;
  const ok = async (p: Promise<{ body: { success: boolean } }>) =>
    expect((await p).body.success).toBe(true);
  await ok(r.post('/api/course/c1').type('form').send({ user: 'root', instructors: '["t"]' }));
  await ok(r.post('/api/course/c2').type('form').send({ user: 'root', instructors: '["t"]' }));
  for (const s of ['alice', 'bob']) {
    await ok(
      r
        .post(`/api/student/c1/${s}`)
        .type('form')
        .send({ user: 't', first_name: s, last_name: 'L', email: `${s}@x` })
    );
  }
  const release = filesJson({
    'p1.ipynb': '{"cells": []}',
    'data/x.bin': Buffer.from([0, 255, 7])
  });
  await ok(r.post('/api/assignment/c1/ps1').type('form').send({ user: 't', files: release }));
  await ok(
    r
      .post('/api/v2/deadline/c1/ps1')
      .type('form')
      .send({ user: 't', due: '2030-01-17T17:30:00Z', hard: 'true' })
  );
  await ok(
    r
      .post('/api/v2/extension/c1/ps1/bob')
      .type('form')
      .send({ user: 't', due: '2030-01-18T17:30:00Z' })
  );
  for (const [s, text] of [
    ['alice', 'a1'],
    ['bob', 'b1'],
    ['alice', 'a2']
  ]) {
    await ok(
      r
        .post('/api/submission/c1/ps1')
        .type('form')
        .send({ user: s, files: filesJson({ 'p1.ipynb': text }) })
    );
  }
  const subs = await r.get('/api/submissions/c1/ps1?user=t');
  const first = (subs.body.submissions as Array<{ student_id: string; timestamp: string }>)[0];
  await ok(
    r
      .post(`/api/feedback/c1/ps1/${first.student_id}`)
      .type('form')
      .send({ user: 't', timestamp: first.timestamp, files: filesJson({ 'p1.html': '<p>ok</p>' }) })
  );
}

/** What the API answers for every read of the filled semester, as instructor and students. */
async function reads(svc: TestService): Promise<Record<string, unknown>> {
  const r = svc.request;
  const out: Record<string, unknown> = {};
  const get = async (p: string) => {
    const res = await r.get(`/api/${p}`);
    out[p] = { status: res.status, body: res.body as unknown };
    return res.body as Record<string, unknown>;
  };
  await get('courses?user=t');
  await get('courses?user=alice');
  await get('students/c1?user=t');
  await get('instructors/c1?user=t');
  await get('assignments/c1?user=alice');
  await get('assignment/c1/ps1?user=alice');
  await get('v2/deadlines/c1?user=t');
  await get('v2/deadline/c1/ps1?user=t');
  const subs = await get('submissions/c1/ps1?user=t');
  for (const s of subs.submissions as Array<{ student_id: string; timestamp: string }>) {
    const q = `timestamp=${encodeURIComponent(s.timestamp)}`;
    await get(`submission/c1/ps1/${s.student_id}?user=t&${q}`);
    await get(`feedback/c1/ps1/${s.student_id}?user=${s.student_id}&${q}`);
  }
  return out;
}

describe.each(backends())('ngshare copy from SQLite + folder to %s + %s', (engine, storage) => {
  let source: TestService;
  let target: TestService;
  const env = { ...process.env };

  beforeAll(async () => {
    if (storage === 's3') {
      Object.assign(process.env, testS3Env());
    }
    source = await startTestService({ engine: 'sqlite', storage: 'folder' });
    await fill(source);
  });
  beforeEach(async () => {
    target = await startTestService({ engine, storage });
  });
  afterEach(async () => target.close());
  afterAll(async () => {
    await source.close();
    process.env = env;
  });

  const args = (t: TestService, more: string[] = []): string[] => [
    '--from-database',
    source.databaseUrl,
    '--from-storage',
    source.storageSpec,
    '--database',
    t.databaseUrl,
    '--storage',
    t.storageSpec,
    ...(storage === 's3'
      ? ['--s3-endpoint', testS3Settings().endpoint!, '--s3-force-path-style']
      : []),
    ...more
  ];

  it('copies every row and file: the target answers every read as the source did', async () => {
    const run = await copyCli(args(target));
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /: 2 courses, 4 members, 1 assignments, 3 submissions, 6 files \(6 written to .*\); 6 files verified by SHA-256 and MD5\.\n$/
    );
    expect(await reads(target)).toEqual(await reads(source));
    // new rows are numbered after the copied ones
    const more = await target.request
      .post('/api/course/c3')
      .type('form')
      .send({ user: 'root', instructors: '["t"]' });
    expect(more.body).toEqual({ success: true });
    const again = await target.request
      .post('/api/submission/c1/ps1')
      .type('form')
      .send({ user: 'bob', files: filesJson({ 'p1.ipynb': 'b2' }) });
    expect(again.body.success).toBe(true);
  });

  it('finishes an interrupted copy when run again with --force, and only then', async () => {
    const sourceDb = createKnex(parseDatabaseUrl(source.databaseUrl), { readOnly: true });
    // the target storage fails after two files, as when the copy is cut off
    let writes = 0;
    const flaky: BlobStorage = Object.create(target.blobs) as BlobStorage;
    flaky.createWriter = async () => {
      if (++writes > 2) {
        throw new Error('cut off');
      }
      return target.blobs.createWriter();
    };
    await expect(
      copyDeployment(sourceDb, target.knex, new LocalBlobStorage(source.storageSpec), flaky)
    ).rejects.toThrow('cut off');
    await sourceDb.destroy();
    // every file row in the target names a stored file
    for (const { sha256 } of await target.knex('blobs').select('sha256')) {
      expect(await target.blobs.has(sha256 as string)).toBe(true);
    }
    const refused = await copyCli(args(target));
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/already holds 2 course\(s\): pass --force to finish/);
    const finished = await copyCli(args(target, ['--force']));
    expect(finished.err).toBe('');
    expect(finished.out).toMatch(/6 files \(4 written to .*\); 6 files verified/);
    expect(await reads(target)).toEqual(await reads(source));
  });
});

describe('ngshare copy refuses', () => {
  let source: TestService;
  let target: TestService;
  beforeAll(async () => {
    source = await startTestService();
    await fill(source);
    target = await startTestService();
  });
  afterAll(async () => {
    await source.close();
    await target.close();
  });
  const args = (over: Record<string, string> = {}): string[] =>
    Object.entries({
      '--from-database': source.databaseUrl,
      '--from-storage': source.storageSpec,
      '--database': target.databaseUrl,
      '--storage': target.storageSpec,
      ...over
    }).flat();

  it('the same database or storage on both sides', async () => {
    const same = await copyCli(args({ '--database': source.databaseUrl }));
    expect([same.code, same.err]).toEqual([
      2,
      'ngshare copy: the source and target databases must differ\n'
    ]);
    const sameStorage = await copyCli(args({ '--storage': source.storageSpec }));
    expect(sameStorage.err).toBe('ngshare copy: the source and target storages must differ\n');
  });

  it('a source that does not exist', async () => {
    const run = await copyCli(args({ '--from-database': 'sqlite:////nonexistent/ngshare.db' }));
    expect([run.code, run.err]).toEqual([
      2,
      'ngshare copy: the source database /nonexistent/ngshare.db does not exist\n'
    ]);
  });

  it('a damaged source file, naming it, and copies none of its bytes', async () => {
    const [row] = await source.knex('blobs').select('sha256').orderBy('sha256').limit(1);
    const sha = String(row.sha256);
    // LocalBlobStorage's layout: blobs/<first two hex digits>/<the rest>
    writeFileSync(
      path.join(source.storageSpec, 'blobs', sha.slice(0, 2), sha.slice(2)),
      'tampered'
    );
    const run = await copyCli(args());
    expect(run.code).toBe(1);
    expect(run.err).toContain(`the source file ${row.sha256} does not match its checksums`);
    expect(await target.blobs.has(row.sha256 as string)).toBe(false);
  });
});
