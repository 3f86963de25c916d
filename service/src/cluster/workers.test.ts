/**
 * `ngshare --workers N`, the real command: N processes share one port over one SQLite file and
 * one storage folder. Writes from every worker at once all land; a worker that dies is replaced
 * and the others keep answering; /metrics sums every worker; the demo is seeded once; SIGTERM to
 * the primary stops them all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { filesJson } from '../test-support/harness';
import { ensureBuilt, freePort, runCli, startCli, type CliRun } from '../test-support/cli-process';

/** Each request on its own connection, so the cluster's round-robin spreads them. */
function request(
  port: number,
  method: string,
  pathAndQuery: string,
  form?: Record<string, string>
): Promise<{ status: number; body: string }> {
  const data = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: pathAndQuery,
        agent: false,
        headers: data
          ? { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' }
          : { connection: 'close' }
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${method} ${pathAndQuery}`)));
    req.end(data);
  });
}

/** Pids of the workers that logged "listening", in order. */
function listeningPids(run: CliRun): number[] {
  return run
    .stdout()
    .split('\n')
    .filter(line => line.includes('"msg":"listening"'))
    .map(line => (JSON.parse(line) as { pid: number }).pid);
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ngshare --workers', () => {
  let dir: string;
  let port: number;
  let run: CliRun;
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'ngshare-workers-'));
    port = await freePort();
    run = await startCli([
      '--vngshare',
      '--demo',
      '--workers',
      '3',
      '--port',
      String(port),
      '--admins',
      'root',
      '--database',
      `sqlite:///${path.join(dir, 'w.db')}`,
      '--storage',
      path.join(dir, 'files')
    ]);
    await until('three workers', () => listeningPids(run).length === 3);
  });
  afterAll(async () => {
    if (run.proc.exitCode === null) {
      run.proc.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs three worker processes besides the primary, and seeds the demo once', async () => {
    const pids = listeningPids(run);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(run.proc.pid);
    expect(run.stderr().match(/DO NOT USE IN PRODUCTION/g)).toHaveLength(1);
    const courses = await request(port, 'GET', '/api/courses?user=teacher');
    expect(JSON.parse(courses.body)).toEqual({ success: true, courses: ['demo101', 'demo202'] });
    // the seeding is in the course history, once, as the teacher's
    const history = JSON.parse(
      (await request(port, 'GET', '/api/v2/history/demo101?user=teacher')).body
    ) as { events: Array<{ action: string; actor: string; student_id: string | null }> };
    expect(history.events.map(e => [e.action, e.student_id]).reverse()).toEqual([
      ['course_create', null],
      ['roster_add', 'teacher'],
      ['roster_add', 'alice'],
      ['roster_add', 'bob'],
      ['release', null]
    ]);
    expect(new Set(history.events.map(e => e.actor))).toEqual(new Set(['teacher']));
  });

  it('takes writes from every worker at once and loses none', async () => {
    await request(port, 'POST', '/api/course/w1', { user: 'root', instructors: '["kim"]' });
    const released = await request(port, 'POST', '/api/assignment/w1/a1', {
      user: 'kim',
      files: filesJson({ 'a.ipynb': '{"cells": []}' })
    });
    expect(released.status).toBe(200);
    const students = Array.from({ length: 24 }, (_, i) => `s${i}`);
    const enrolled = await Promise.all(
      students.map(s =>
        request(port, 'POST', `/api/student/w1/${s}`, {
          user: 'kim',
          first_name: s,
          last_name: '',
          email: ''
        })
      )
    );
    expect(enrolled.map(r => r.status)).toEqual(students.map(() => 200));
    const submitted = await Promise.all(
      students.map(s =>
        request(port, 'POST', '/api/submission/w1/a1', {
          user: s,
          files: filesJson({ 'a.ipynb': `answer of ${s}`, 'extra.txt': 'x'.repeat(50_000) })
        })
      )
    );
    expect(submitted.map(r => [r.status, r.body.slice(0, 40)])).toEqual(
      students.map(() => [200, expect.stringContaining('"success":true')])
    );
    const list = JSON.parse((await request(port, 'GET', '/api/submissions/w1/a1?user=kim')).body);
    expect(list.submissions.map((s: { student_id: string }) => s.student_id).sort()).toEqual(
      [...students].sort()
    );
    for (const s of students.slice(0, 6)) {
      const got = JSON.parse(
        (await request(port, 'GET', `/api/submission/w1/a1/${s}?user=kim`)).body
      );
      const answer = got.files.find((f: { path: string }) => f.path === 'a.ipynb');
      expect(Buffer.from(answer.content, 'base64').toString()).toBe(`answer of ${s}`);
    }
  });

  it('sums every worker in /metrics', async () => {
    const before = await request(port, 'GET', '/api/metrics?user=root');
    expect(before.status).toBe(200);
    const count = (text: string) =>
      [...text.matchAll(/^ngshare_http_request_duration_seconds_count\{[^}]*\} (\d+)/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0
      );
    for (let i = 0; i < 9; i++) {
      expect((await request(port, 'GET', '/api/courses?user=root')).status).toBe(200);
    }
    const after = await request(port, 'GET', '/api/metrics?user=root');
    // the nine requests and the first metrics scrape, wherever each was answered
    expect(count(after.body) - count(before.body)).toBe(10);
  });

  it('replaces a worker that dies, and the others answer meanwhile', async () => {
    const [victim] = listeningPids(run);
    process.kill(victim, 'SIGKILL');
    // A connection handed to the worker in the instant it dies is lost with it (as with any
    // crashed server); once the primary has seen the death it hands out only to the living.
    await until('the primary to see the death', () =>
      run.stdout().includes('worker died; starting another')
    );
    for (let i = 0; i < 6; i++) {
      expect((await request(port, 'GET', '/api/courses?user=root')).status).toBe(200);
    }
    await until('a replacement worker', () => listeningPids(run).length === 4);
    expect(listeningPids(run).filter(isAlive)).toHaveLength(3);
  });

  it('stops every worker on SIGTERM to the primary and exits 0', async () => {
    const pids = listeningPids(run).filter(isAlive);
    run.proc.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await until('workers gone', () => pids.every(pid => !isAlive(pid)), 5000);
  });
});

describe('ngshare --workers, bad values', () => {
  it('exits 1 with the reason when the first worker cannot start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-workers-bad-'));
    const notAFolder = path.join(dir, 'file');
    writeFileSync(notAFolder, '');
    const cli = runCli([
      '--vngshare',
      '--workers',
      '2',
      '--port',
      '0',
      '--database',
      `sqlite:///${notAFolder}/ngshare.db`,
      '--storage',
      path.join(dir, 'files')
    ]);
    const code = await cli.exited;
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(cli.stderr()).toContain('ngshare: could not start');
    expect(cli.stdout()).toContain('the first worker could not start');
  });

  it.each(['0', '-2', '1.5', 'many', '65'])('--workers %s is one clear error', async value => {
    const cli = runCli(['--vngshare', '--workers', value, '--port', '0']);
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr()).toContain('give a whole number from 1 to 64, or "auto"');
  });
});
