/**
 * A bounded fuzz run of every route against the real `ngshare` process in
 * hub mode, on every engine: seeded random methods, paths, roles (admin,
 * instructor, student, stranger, no token, malformed header), content
 * types and bodies (valid trees, hostile trees, invalid UTF-8, UTF-16
 * parts, truncated and oversized bodies, clients that hang up).
 *
 * Asserted on every answer: no 5xx but the documented outage answers
 * (503/507, JSON); JSON on every API answer. At the end: the process is
 * alive and answers, nothing was written outside its storage folder, and
 * the storage holds only content-addressed blobs (no staged leftovers).
 *
 * CI runs NGSHARE_FUZZ_ITERATIONS=400 per engine with a fixed seed; set
 * it (and NGSHARE_FUZZ_SEED) higher for a longer run.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createTestDatabase, engines } from './test-support/harness';
import { ensureBuilt, freePort, startCli, type CliRun } from './test-support/cli-process';
import { rawRequest, type RawAnswer } from './test-support/raw-http';
import { StandInHub } from './test-support/stand-in-hub';
import { rng } from './test-support/seeded-random';

const ITERATIONS = Number(process.env.NGSHARE_FUZZ_ITERATIONS ?? 400);
const SEED = Number(process.env.NGSHARE_FUZZ_SEED ?? 20261204);
const PREFIX = '/services/ngshare/';
const LIMIT_MIB = 2;

const SPEC = parseYaml(
  readFileSync(path.join(__dirname, '..', '..', 'docs', 'openapi.yaml'), 'utf8')
) as { paths: Record<string, unknown> };
const ROUTES = Object.keys(SPEC.paths);
const IDS = [
  'c1',
  'a1',
  'stu',
  'ins',
  'root',
  'nope',
  '..',
  '%2E%2E',
  '%00',
  '%ED%A0%80',
  '%FF',
  'a%2Fb',
  'x'.repeat(1100),
  '%F0%9F%98%80',
  'C%3A%5Cx'
];
const ROLES = ['root', 'ins', 'stu', 'stranger', undefined, 'bad header'];
const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD'];
const FIELDS = [
  'files',
  'instructors',
  'students',
  'timestamp',
  'list_only',
  'first_name',
  'last_name',
  'email',
  'action',
  'user'
];

const pick = <T>(random: () => number, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)];

function treeValue(random: () => number): string {
  const entries = [
    { path: 'a.ipynb', content: Buffer.from('{"cells": []}').toString('base64') },
    {
      path: pick(random, [
        '../x',
        'C:\\x',
        '\\\\srv\\x',
        'a\ud800',
        '/abs',
        'ok/b.txt',
        'a\\..\\b'
      ]),
      content: 'aGk='
    },
    {
      path: 'big.bin',
      content: Buffer.alloc(Math.floor(random() * 1.5 * 1024 * 1024), 7).toString('base64')
    },
    { path: 'bad.b64', content: 'amtsCg' },
    { path: 5, content: 'x' }
  ];
  const chosen = entries.filter(() => random() < 0.4);
  return pick(random, [
    JSON.stringify(chosen),
    JSON.stringify(chosen).slice(0, Math.floor(random() * 40)),
    '{}',
    '"str"',
    '[',
    '[{"path": "a", "content": "QQ==", "content": 1}]'
  ]);
}

function fieldValue(random: () => number, name: string): string {
  if (name === 'files') {
    return treeValue(random);
  }
  return pick(random, [
    '',
    'x',
    '["ins", "stu"]',
    '"ab"',
    '[{"username": "s9", "first_name": "", "last_name": "", "email": ""}]',
    '2026-12-04 10:00:00.000000',
    'true',
    '\ud83d\ude00',
    'clear',
    'init'
  ]);
}

interface Plan {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  hangUpAfterMs?: number;
  declared?: number;
}

function plan(random: () => number): Plan {
  const route = pick(random, ROUTES).replace(/\{\w+\}/g, () => pick(random, IDS));
  const p =
    (route === '/healthz' || route === '/readyz') && random() < 0.5
      ? route
      : PREFIX + route.slice(1);
  const method = pick(random, METHODS);
  const role = pick(random, ROLES);
  const headers: Record<string, string> = {};
  if (role === 'bad header') {
    headers.Authorization = pick(random, ['token', 'Basic xyz', 'token a b', 'Bearer']);
  } else if (role) {
    headers.Authorization = `token ${role}`;
  }
  const fields = FIELDS.filter(() => random() < 0.3).map(n => [n, fieldValue(random, n)] as const);
  const kind = pick(random, [
    'form',
    'form',
    'multipart',
    'json',
    'text',
    'none',
    'invalid-utf8',
    'utf16'
  ]);
  let body: Buffer | undefined;
  if (kind === 'form' || kind === 'invalid-utf8') {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = Buffer.from(new URLSearchParams(fields as Array<[string, string]>).toString());
    if (kind === 'invalid-utf8') {
      body = Buffer.concat([body, Buffer.from('&files=%FF%FE&user=%ED%A0%80')]);
    }
  } else if (kind === 'multipart' || kind === 'utf16') {
    headers['Content-Type'] = 'multipart/form-data; boundary=ZZ';
    const parts = fields.map(
      ([n, v]) =>
        `--ZZ\r\nContent-Disposition: form-data; name="${n}"\r\n` +
        (kind === 'utf16' ? 'Content-Type: text/plain; charset=utf-16\r\n' : '') +
        `\r\n${v}\r\n`
    );
    body = Buffer.from(
      parts.join('') +
        '--ZZ\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\nhi\r\n--ZZ--\r\n'
    );
  } else if (kind === 'json') {
    headers['Content-Type'] = 'application/json';
    body = Buffer.from(JSON.stringify(Object.fromEntries(fields)));
  } else if (kind === 'text') {
    headers['Content-Type'] = 'text/plain; charset=latin1';
    body = Buffer.from('files=[]');
  }
  const shape = random();
  if (body && shape < 0.15) {
    // truncated: less than declared, then the client goes away
    return {
      method,
      path: p,
      headers,
      body: body.subarray(0, Math.floor(body.length / 2)),
      declared: body.length,
      hangUpAfterMs: 100
    };
  }
  if (shape < 0.22) {
    // oversized: more than --max-body-size
    headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    const big = Buffer.alloc(LIMIT_MIB * 1024 * 1024 + 10, 'a');
    return { method, path: p, headers, body: big };
  }
  return { method, path: p, headers, body };
}

/** Routes whose success is not JSON: pages, assets and the Prometheus text exposition. */
const NOT_JSON = /\/(favicon\.ico|masonry\.min\.js|admin)?$|initialize-Data6ase|oauth_callback/;
const isMetrics = (path: string, status: number) => /\/metrics$/.test(path) && status === 200;

describe.each(engines())('fuzzing every route on %s', engine => {
  let hub: StandInHub;
  let run: CliRun;
  let port: number;
  let dir: string;
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    ensureBuilt();
    hub = new StandInHub();
    hub.nameIsToken = true;
    await hub.start();
    dir = mkdtempSync(path.join(tmpdir(), 'ngshare-fuzz-'));
    for (const sub of ['cwd', 'home', 'files']) {
      rmSync(path.join(dir, sub), { recursive: true, force: true });
      mkdirSync(path.join(dir, sub));
    }
    db =
      engine === 'sqlite'
        ? { url: `sqlite:///${path.join(dir, 'db', 'ngshare.db')}`, drop: async () => undefined }
        : await createTestDatabase('postgres');
    port = await freePort();
    run = await startCli(
      [
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--database',
        db.url,
        '--storage',
        path.join(dir, 'files'),
        '--admins',
        'root',
        '--max-body-size',
        String(LIMIT_MIB),
        '--gc-grace',
        '0'
      ],
      {
        JUPYTERHUB_API_URL: hub.url,
        JUPYTERHUB_API_TOKEN: 'service-token',
        JUPYTERHUB_SERVICE_PREFIX: PREFIX,
        HOME: path.join(dir, 'home'),
        TMPDIR: path.join(dir, 'home')
      },
      20_000,
      path.join(dir, 'cwd')
    );
    const seed = (p: string, token: string, form: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}${PREFIX}${p}`, {
        method: 'POST',
        headers: { Authorization: `token ${token}` },
        body: new URLSearchParams(form)
      });
    await seed('course/c1', 'root', { instructors: '["ins"]' });
    await seed('student/c1/stu', 'ins', { first_name: 'S', last_name: 'T', email: '' });
    await seed('assignment/c1/a1', 'ins', { files: '[{"path": "a.ipynb", "content": "e30="}]' });
    await seed('submission/c1/a1', 'stu', { files: '[{"path": "a.ipynb", "content": "e30="}]' });
  }, 60_000);

  afterAll(async () => {
    run?.proc.kill('SIGTERM');
    await run?.exited;
    await hub?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${ITERATIONS} seeded requests (seed ${SEED}): no crash, no unexplained 5xx, JSON answers, nothing outside storage`, async () => {
    const random = rng(SEED + (engine === 'sqlite' ? 0 : 1));
    const problems: string[] = [];
    const plans = Array.from({ length: ITERATIONS }, () => plan(random));
    let next = 0;
    const worker = async () => {
      while (next < plans.length) {
        const i = next++;
        const p = plans[i];
        const headers = { ...p.headers };
        if (p.declared !== undefined) {
          headers['Content-Length'] = String(p.declared);
        }
        let answer: RawAnswer;
        try {
          answer = await rawRequest({
            port,
            method: p.method,
            path: p.path,
            headers,
            body: p.body,
            hangUpAfterMs: p.hangUpAfterMs,
            timeoutMs: 30_000
          });
        } catch (err) {
          problems.push(`#${i} ${p.method} ${p.path}: ${(err as Error).message}`);
          continue;
        }
        const label = `#${i} ${p.method} ${p.path.slice(0, 80)} -> ${answer.status}`;
        if (answer.status === 0) {
          if (p.hangUpAfterMs === undefined) {
            problems.push(`${label}: closed without an answer`);
          }
          continue;
        }
        if (answer.status >= 500 && answer.status !== 503 && answer.status !== 507) {
          problems.push(`${label}: ${answer.body.slice(0, 200)}`);
        }
        const type = answer.headers['content-type'] ?? '';
        const api =
          p.path.startsWith(PREFIX) &&
          !NOT_JSON.test(p.path.split('?')[0]) &&
          !isMetrics(p.path.split('?')[0], answer.status) &&
          answer.status !== 404 &&
          p.method !== 'HEAD';
        if (api && answer.status !== 408 && !type.startsWith('application/json')) {
          problems.push(`${label}: answered ${type || 'no content type'}`);
        }
        if (type.startsWith('application/json') && p.method !== 'HEAD') {
          try {
            JSON.parse(answer.body);
          } catch {
            problems.push(`${label}: invalid JSON`);
          }
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(problems).toEqual([]);
    expect(run.proc.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    // Nothing outside storage: the working folder and HOME/TMPDIR stay empty; storage holds
    // blobs under their hashes and no staged leftovers once the requests are over.
    expect(readdirSync(path.join(dir, 'cwd'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'home'))).toEqual([]);
    await new Promise(resolve => setTimeout(resolve, 300));
    const stored: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const full = path.join(d, name);
        if (statSync(full).isDirectory()) {
          walk(full);
        } else {
          stored.push(path.relative(path.join(dir, 'files'), full));
        }
      }
    };
    walk(path.join(dir, 'files'));
    expect(stored.filter(f => !/^blobs\/[0-9a-f]{2}\/[0-9a-f]{62}$/.test(f))).toEqual([]);
  }, 600_000);
});
