/**
 * The repros of the hardening issue against the real `ngshare` process in
 * hub mode (a stand-in hub on 127.0.0.1): bodies cut off, over 512 MiB,
 * sent without a token or without permission, in a character set nobody
 * reads, trickled for ever. After each, the process still answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, freePort, startCli, type CliRun } from './test-support/cli-process';
import { rawRequest, repeated } from './test-support/raw-http';
import { StandInHub } from './test-support/stand-in-hub';

const MiB = 1024 * 1024;
const PREFIX = '/services/ngshare/';

describe('the ngshare process against hostile bodies (hub mode)', () => {
  let hub: StandInHub;
  let run: CliRun;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    hub = new StandInHub();
    hub.nameIsToken = true; // token "stu" is the user stu
    await hub.start();
    dir = mkdtempSync(path.join(tmpdir(), 'ngshare-hardening-'));
    port = await freePort();
    run = await startCli(
      [
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--database',
        `sqlite:///${path.join(dir, 'db.sqlite')}`,
        '--storage',
        path.join(dir, 'files'),
        '--admins',
        'root',
        '--max-body-size',
        '1024',
        '--max-body-in-flight',
        '200',
        '--request-timeout',
        '120'
      ],
      {
        JUPYTERHUB_API_URL: hub.url,
        JUPYTERHUB_API_TOKEN: 'service-token',
        JUPYTERHUB_SERVICE_PREFIX: PREFIX
      }
    );
    const call = (method: string, p: string, token: string, form?: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}${PREFIX}${p}`, {
        method,
        headers: { Authorization: `token ${token}` },
        body: form ? new URLSearchParams(form) : undefined
      }).then(async r => [r.status, await r.json()]);
    expect(await call('POST', 'course/c1', 'root', { instructors: '["ins"]' })).toEqual([
      200,
      { success: true }
    ]);
    expect(await call('POST', 'assignment/c1/a1', 'ins', { files: '[]' })).toEqual([
      200,
      { success: true }
    ]);
    expect(
      (
        await call('POST', 'student/c1/stu', 'ins', { first_name: 'S', last_name: 'T', email: '' })
      )[0]
    ).toBe(200);
  }, 60_000);

  afterAll(async () => {
    run?.proc.kill('SIGTERM');
    await run?.exited;
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectAlive = async () => {
    expect(run.proc.exitCode).toBeNull();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  };
  const json = (answer: { status: number; body: string }) => [
    answer.status,
    JSON.parse(answer.body).message
  ];
  const multipart = (
    token: string | undefined,
    p: string,
    body: string | AsyncIterable<Buffer>,
    length?: number
  ) =>
    rawRequest({
      port,
      method: 'POST',
      path: PREFIX + p,
      headers: {
        'Content-Type': 'multipart/form-data; boundary=XX',
        ...(token ? { Authorization: `token ${token}` } : {}),
        ...(length !== undefined ? { 'Content-Length': String(length) } : {})
      },
      body
    });
  const CUT = '--XX\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nhi';

  it('a multipart body cut off inside a file part: a JSON answer, and the process lives (item 1)', async () => {
    // the repro, without a token: refused before the body is read
    expect((await multipart(undefined, 'courses', CUT)).status).toBe(405);
    expect(json(await multipart(undefined, 'course/x', CUT))[0]).toBe(401);
    // with a token whose request reads the body: a 400 naming the problem
    expect(json(await multipart('root', 'course/x', CUT))).toEqual([
      400,
      'The multipart request body could not be parsed'
    ]);
    expect(json(await multipart('stu', 'submission/c1/a1', CUT))).toEqual([
      400,
      'The multipart request body could not be parsed'
    ]);
    // an urlencoded body shorter than its declared length, then the client goes away
    const short = await rawRequest({
      port,
      method: 'POST',
      path: `${PREFIX}submission/c1/a1`,
      headers: {
        Authorization: 'token stu',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': '1000'
      },
      body: 'files=%5B%7B%22path%22',
      hangUpAfterMs: 200
    });
    expect(short.status).toBe(0);
    await expectAlive();
  });

  it('bodies over 512 MiB (the limit raised to 1 GiB): refused or read, never a crash (item 2)', async () => {
    const size = 520 * MiB;
    const files = await rawRequest({
      port,
      method: 'POST',
      path: `${PREFIX}submission/c1/a1`,
      headers: {
        Authorization: 'token stu',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(6 + size)
      },
      body: (async function* () {
        yield Buffer.from('files=');
        yield* repeated('a', MiB, 520);
      })(),
      timeoutMs: 120_000
    });
    expect(json(files)).toEqual([400, 'Files cannot be JSON decoded']);
    const field = await rawRequest({
      port,
      method: 'POST',
      path: `${PREFIX}course/big`,
      headers: {
        Authorization: 'token root',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(12 + size)
      },
      body: (async function* () {
        yield Buffer.from('instructors=');
        yield* repeated('a', MiB, 520);
      })(),
      timeoutMs: 120_000
    });
    expect(json(field)).toEqual([
      413,
      'Form fields other than files may take at most 64 MiB together'
    ]);
    const head = '--XX\r\nContent-Disposition: form-data; name="files"\r\n\r\n';
    const parted = await multipart(
      'stu',
      'submission/c1/a1',
      (async function* () {
        yield Buffer.from(head);
        yield* repeated('a', MiB, 520);
        yield Buffer.from('\r\n--XX--\r\n');
      })(),
      head.length + size + 10
    );
    expect(json(parted)).toEqual([
      413,
      'A multipart form field may be at most 256 MiB; send large uploads urlencoded'
    ]);
    await expectAlive();
  }, 300_000);

  it('refuses a caller without a token, or without permission, before reading the body (item 4)', async () => {
    const big = (token: string | undefined, p: string) =>
      rawRequest({
        port,
        method: 'POST',
        path: PREFIX + p,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(95 * MiB),
          ...(token ? { Authorization: `token ${token}` } : {})
        },
        body: repeated('a', MiB, 1), // 1 of the 95 MiB, then nothing: only an early answer ends this
        timeoutMs: 10_000
      });
    expect(json(await big(undefined, 'submission/c1/a1'))[0]).toBe(401);
    expect(json(await big('stu', 'assignment/c1/a9'))).toEqual([403, 'Permission denied']);
    expect(json(await big('nobody', 'submission/c1/a1'))).toEqual([403, 'Permission denied']);
    await expectAlive();
  });

  it('caps body bytes in flight: a second large upload meanwhile gets a 503 with Retry-After (item 4)', async () => {
    const first = rawRequest({
      port,
      method: 'POST',
      path: `${PREFIX}submission/c1/a1`,
      headers: {
        Authorization: 'token stu',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(150 * MiB)
      },
      body: 'files=[',
      hangUpAfterMs: 1500,
      timeoutMs: 20_000
    });
    await new Promise(resolve => setTimeout(resolve, 500)); // its permission checks pass; it reads
    const second = await rawRequest({
      port,
      method: 'POST',
      path: `${PREFIX}submission/c1/a1`,
      headers: {
        Authorization: 'token stu',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(100 * MiB)
      },
      body: 'files=[',
      timeoutMs: 10_000
    });
    expect(json(second)).toEqual([
      503,
      'The service is receiving more uploads than it takes at once (200 MiB); try again in a few seconds'
    ]);
    expect(second.headers['retry-after']).toBe('5');
    // the first client goes away: its share of the budget is given back
    expect((await first).status).toBe(0);
    await new Promise(resolve => setTimeout(resolve, 200));
    const small = await fetch(`http://127.0.0.1:${port}${PREFIX}submission/c1/a1`, {
      method: 'POST',
      headers: { Authorization: 'token stu' },
      body: new URLSearchParams({ files: '[]' })
    });
    expect(small.status).toBe(200);
    await expectAlive();
  });

  it('a multipart field in UTF-16 is a 400 that says so, not a 500 (item 6)', async () => {
    const body =
      '--XX\r\nContent-Disposition: form-data; name="files"\r\nContent-Type: text/plain; charset=utf-16\r\n\r\n[]\r\n--XX--\r\n';
    expect(json(await multipart('stu', 'submission/c1/a1', body))).toEqual([
      400,
      'The form field "files" is in a character set this server does not read; send UTF-8'
    ]);
    await expectAlive();
  });

  it('a client trickling its body is cut off by --request-timeout with a 408 (item 7)', async () => {
    const quickPort = await freePort();
    const quick = await startCli([
      '--vngshare',
      '--port',
      String(quickPort),
      '--database',
      `sqlite:///${path.join(dir, 'quick.sqlite')}`,
      '--storage',
      path.join(dir, 'quick-files'),
      '--request-timeout',
      '3'
    ]);
    try {
      const started = Date.now();
      const answer = await rawRequest({
        port: quickPort,
        method: 'POST',
        path: '/api/course/slow',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': '100'
        },
        body: 'user=root&instructors=',
        timeoutMs: 15_000
      });
      expect(answer.status).toBe(408);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(quick.proc.exitCode).toBeNull();
    } finally {
      quick.proc.kill('SIGTERM');
      await quick.exited;
    }
  });
});
