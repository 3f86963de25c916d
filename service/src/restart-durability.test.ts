/**
 * Restart durability of the real `ngshare` process: data survives a SIGTERM
 * stop; after a SIGKILL in the middle of a burst of submissions, every
 * submission that was answered 200 is complete (files and MD5), everything
 * listed is readable, and storage holds exactly what the rows reference.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { createTestDatabase, engines } from './test-support/harness';
import { ensureBuilt, freePort, startCli, type CliRun } from './test-support/cli-process';
import { b64, filesOf } from './test-support/client';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]
  );
}

describe.each(engines())('restart durability on %s', engine => {
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let run: CliRun | undefined;
  let port: number;
  let firstSubmission = '';
  const storage = () => path.join(dir, 'files');

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'ngshare-restart-'));
    db = await createTestDatabase(engine);
    port = await freePort();
  });
  afterAll(async () => {
    run?.proc.kill('SIGKILL');
    await run?.exited;
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    run = await startCli([
      '--vngshare',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--database',
      db.url,
      '--storage',
      storage(),
      '--admins',
      'root',
      // Staged uploads a crash left behind are swept at start once older than this
      '--gc-grace',
      '0'
    ]).catch(async err => {
      // The previous process may still hold the port for a moment.
      await new Promise(resolve => setTimeout(resolve, 500));
      if (String(err).includes('EADDRINUSE')) {
        port = await freePort();
      }
      throw err;
    });
  };
  const http = () => supertest(`http://127.0.0.1:${port}`);
  const post = (url: string, form: Record<string, string>) =>
    http().post(url).type('form').send(new URLSearchParams(form).toString());

  it('keeps everything across a SIGTERM stop and restart', async () => {
    await start();
    expect((await post('/api/course/c1', { user: 'root', instructors: '["ins"]' })).status).toBe(
      200
    );
    expect(
      (
        await post('/api/student/c1/stu', {
          user: 'ins',
          first_name: 'S',
          last_name: 'T',
          email: 'e'
        })
      ).status
    ).toBe(200);
    expect(
      (
        await post('/api/assignment/c1/a1', {
          user: 'ins',
          files: filesOf([['r.txt', b64('release')]])
        })
      ).status
    ).toBe(200);
    const sub = await post('/api/submission/c1/a1', {
      user: 'stu',
      files: filesOf([['s.txt', b64('work')]])
    });
    expect(sub.status).toBe(200);
    firstSubmission = sub.body.timestamp;
    run!.proc.kill('SIGTERM');
    expect(await run!.exited).toBe(0);

    await start();
    const got = await http().get('/api/submission/c1/a1/stu').query({ user: 'ins' });
    expect(got.body).toMatchObject({
      success: true,
      timestamp: sub.body.timestamp,
      files: [{ path: 's.txt', checksum: md5('work') }]
    });
    expect(Buffer.from(got.body.files[0].content, 'base64').toString()).toBe('work');
    const student = await http().get('/api/student/c1/stu').query({ user: 'stu' });
    expect(student.body).toMatchObject({ first_name: 'S', last_name: 'T', email: 'e' });
    const released = await http().get('/api/assignment/c1/a1').query({ user: 'stu' });
    expect(released.body.files[0].checksum).toBe(md5('release'));
  });

  it('SIGTERM during a burst lets the requests in flight finish, then exits 0', async () => {
    // (the service restarted by the previous test is running)
    expect((await post('/api/assignment/c1/a2', { user: 'ins', files: '[]' })).status).toBe(200);
    const answered = new Map<string, number>();
    const failures: string[] = [];
    const pending = Array.from({ length: 20 }, (_, i) =>
      post('/api/submission/c1/a2', {
        user: 'stu',
        files: filesOf([['term.txt', b64(`term ${i} ` + 'y'.repeat(200_000))]])
      }).then(
        res => {
          if (res.status === 200) {
            answered.set(res.body.timestamp, i);
          } else {
            failures.push(`${i}: ${res.status}`);
          }
        },
        () => undefined // refused once the server stopped accepting
      )
    );
    while (answered.size < 2) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    run!.proc.kill('SIGTERM');
    await Promise.all(pending);
    expect(await run!.exited).toBe(0);
    expect(failures).toEqual([]);
    await start();
    for (const [timestamp, i] of answered) {
      const got = await http().get('/api/submission/c1/a2/stu').query({ user: 'ins', timestamp });
      expect(
        Buffer.from(got.body.files[0].content, 'base64').toString().startsWith(`term ${i} `)
      ).toBe(true);
    }
  });

  it('after SIGKILL during a burst of submissions, every answered submission is complete and nothing is half-written', async () => {
    const N = 40;
    const content = (i: number) => `submission ${i} ` + 'z'.repeat(20_000 + i);
    const answered = new Map<string, number>();
    const pending = Array.from({ length: N }, (_, i) =>
      post('/api/submission/c1/a1', {
        user: 'stu',
        files: filesOf([
          ['answer.txt', b64(content(i))],
          ['shared.txt', b64('identical in every submission')]
        ])
      }).then(
        res => {
          if (res.status === 200) {
            answered.set(res.body.timestamp, i);
          }
        },
        () => undefined // the connection died with the process
      )
    );
    // Kill once some, but not all, have been answered.
    const deadline = Date.now() + 10_000;
    while (answered.size < 5 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    run!.proc.kill('SIGKILL');
    await run!.exited;
    await Promise.all(pending);
    const survivorsOfKill = new Map(answered);
    expect(survivorsOfKill.size).toBeGreaterThanOrEqual(5);

    await start();
    const listed = (await http().get('/api/submissions/c1/a1/stu').query({ user: 'stu' })).body
      .submissions as Array<{
      timestamp: string;
    }>;
    const stamps = new Set(listed.map(s => s.timestamp));
    // Every 200 is there...
    for (const ts of survivorsOfKill.keys()) {
      expect(stamps.has(ts)).toBe(true);
    }
    // ...and every listed submission is complete: both files, right bytes and checksums.
    for (const { timestamp } of listed) {
      const got = await http().get('/api/submission/c1/a1/stu').query({ user: 'ins', timestamp });
      expect(got.status).toBe(200);
      if (timestamp === firstSubmission) {
        continue; // the submission of the SIGTERM test
      }
      expect(got.body.files.map((f: { path: string }) => f.path)).toEqual([
        'answer.txt',
        'shared.txt'
      ]);
      for (const f of got.body.files as Array<{ content: string; checksum: string }>) {
        const bytes = Buffer.from(f.content, 'base64');
        expect(md5(bytes)).toBe(f.checksum);
      }
      const i = survivorsOfKill.get(timestamp);
      if (i !== undefined) {
        expect(Buffer.from(got.body.files[0].content, 'base64').toString()).toBe(content(i));
      }
    }
    // Storage holds exactly the blobs the rows reference: no stray or partial files.
    const dump = await http()
      .get('/api/initialize-Data6ase')
      .query({ user: 'root', action: 'dump' });
    expect(dump.status).toBe(200);
    const referenced = new Set(
      (dump.body.files as Array<{ actual_name: string }>).map(f => f.actual_name)
    );
    const stored = filesUnder(path.join(storage(), 'blobs')).map(
      f => path.basename(path.dirname(f)) + path.basename(f)
    );
    expect(new Set(stored)).toEqual(referenced);
    expect(filesUnder(path.join(storage(), 'tmp'))).toEqual([]);
    run!.proc.kill('SIGTERM');
    expect(await run!.exited).toBe(0);
    run = undefined;
  });
});
