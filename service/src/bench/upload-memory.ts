/**
 * How much memory the service needs per upload: starts the real `ngshare`
 * command on loopback for each case (fresh process, temporary SQLite and
 * storage), sends one submission urlencoded or multipart, and reads the
 * service's resident memory before and at its peak (VmHWM, reset before
 * each case, and VmRSS polled). Also over-cap bodies (413) and six
 * concurrent anonymous large POSTs (401) against a hub-mode service.
 * With an S3 server (--s3, default $NGSHARE_TEST_S3_URL) the accepted
 * uploads, and the download of what they stored, run on folder and on S3
 * storage, for the folder-vs-S3 figures.
 * Prints figures; asserts only that each answer has the expected status.
 * Usage: node service/lib/bench/upload-memory.js [--small 60] [--large 250] [--s3 URL]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { createS3Client, S3BlobStorage } from '../storage/s3-blob-storage';
import { VERSION } from '../version';
import {
  memoryOf,
  MiB,
  mib,
  resetPeak,
  s3ServerOf,
  startNgshare,
  type BenchService
} from './bench-service';

const opts = new Command('bench:upload-memory')
  .option('--small <MiB>', 'size of the small upload body', Number, 60)
  .option('--large <MiB>', 'size of the large upload body (multipart: under 256)', Number, 250)
  .option('--anonymous <MiB>', 'size of each anonymous POST body', Number, 95)
  .option('--parallel <n>', 'anonymous POSTs at once', Number, 6)
  .option('--deadline <seconds>', 'give up after this long', Number, 900)
  .option(
    '--s3 <url>',
    'also on S3 storage: http://KEY:SECRET@HOST:PORT (default: $NGSHARE_TEST_S3_URL)',
    process.env.NGSHARE_TEST_S3_URL
  )
  .parse()
  .opts<{
    small: number;
    large: number;
    anonymous: number;
    parallel: number;
    deadline: number;
    s3?: string;
  }>();

type Storage = 'folder' | 's3';

const BUCKET = `ngshare-bench-${randomBytes(4).toString('hex')}`;
let bucketMade = false;

/** --max-body-size of the vngshare cases: room for the large upload, and a cap to go over. */
const LIMIT_MIB = 300;

type Kind = 'urlencoded' | 'multipart';

interface Body {
  contentType: string;
  length: number;
  chunks: () => Iterable<Buffer>;
}

// Base64 without '+' and '/': urlencoding leaves it as it is, so sizes are exact.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CONTENT_CHUNK = Buffer.from(
  Array.from(randomBytes(MiB), b => ALPHABET[b % ALPHABET.length]).join(''),
  'latin1'
);

/** A submission body of about `bytes`: one file whose base64 content fills it. */
function submissionBody(kind: Kind, bytes: number): Body {
  const boundary = 'ngshare-bench-boundary';
  const [head, tail, contentType] =
    kind === 'urlencoded'
      ? [
          'files=' + encodeURIComponent('[{"path":"big.ipynb","content":"'),
          encodeURIComponent('"}]'),
          'application/x-www-form-urlencoded'
        ]
      : [
          `--${boundary}\r\nContent-Disposition: form-data; name="files"\r\n\r\n` +
            '[{"path":"big.ipynb","content":"',
          `"}]\r\n--${boundary}--\r\n`,
          `multipart/form-data; boundary=${boundary}`
        ];
  const content = Math.floor((bytes - head.length - tail.length) / 4) * 4;
  return {
    contentType,
    length: head.length + content + tail.length,
    chunks: function* () {
      yield Buffer.from(head);
      for (let left = content; left > 0; left -= CONTENT_CHUNK.length) {
        yield left >= CONTENT_CHUNK.length ? CONTENT_CHUNK : CONTENT_CHUNK.subarray(0, left);
      }
      yield Buffer.from(tail);
    }
  };
}

interface Answer {
  status: number;
  message?: string;
  /** From the first byte sent to the answer's headers. */
  ms: number;
  /** Body bytes the client got to send before the answer. */
  sent: number;
}

/**
 * POSTs a body with backpressure; stops sending once the answer arrives (a
 * refusal need not wait for the rest). `declare: false` sends it chunked.
 */
function post(
  url: string,
  body: Body,
  { declare = true, headers = {} }: { declare?: boolean; headers?: Record<string, string> } = {}
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let sent = 0;
    let answered = false;
    const req = request(url, {
      method: 'POST',
      headers: {
        'Content-Type': body.contentType,
        ...(declare ? { 'Content-Length': String(body.length) } : {}),
        ...headers
      }
    });
    req.on('response', res => {
      answered = true;
      const ms = performance.now() - started;
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        let message: string | undefined;
        try {
          message = (JSON.parse(Buffer.concat(parts).toString()) as { message?: string }).message;
        } catch {
          message = Buffer.concat(parts).toString().slice(0, 200);
        }
        resolve({ status: res.statusCode ?? 0, message, ms, sent });
        req.destroy();
      });
    });
    req.on('error', err => {
      if (!answered) {
        reject(err);
      }
    });
    void (async () => {
      for (const chunk of body.chunks()) {
        if (answered || req.destroyed) {
          return;
        }
        sent += chunk.length;
        if (!req.write(chunk)) {
          await new Promise<void>(resolve => {
            const done = () => {
              req.off('drain', done);
              req.off('close', done);
              resolve();
            };
            req.on('drain', done);
            req.on('close', done);
          });
        }
      }
      if (!answered && !req.destroyed) {
        req.end();
      }
    })();
  });
}

/** Tracks a process's peak memory from now on: VmHWM (reset first) and VmRSS polled. */
async function measure<T>(
  pid: number,
  run: () => Promise<T>
): Promise<{ result: T; baseline: number; peak: number }> {
  await new Promise(resolve => setTimeout(resolve, 300)); // let the setup's garbage settle
  const baseline = memoryOf(pid).rss;
  const reset = resetPeak(pid);
  let polled = baseline;
  const poll = setInterval(() => {
    polled = Math.max(polled, memoryOf(pid).rss);
  }, 5);
  try {
    const result = await run();
    const after = memoryOf(pid);
    return {
      result,
      baseline,
      peak: Math.max(polled, after.rss, reset ? after.peak : 0)
    };
  } finally {
    clearInterval(poll);
  }
}

const services: BenchService[] = [];
const dirs: string[] = [];

async function vngshare(storage: Storage = 'folder'): Promise<BenchService> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-bench-mem-'));
  dirs.push(dir);
  let where = [path.join(dir, 'files')];
  let env: Record<string, string> = {};
  if (storage === 's3') {
    const s3 = s3ServerOf(opts.s3!);
    if (!bucketMade) {
      await createS3Client(s3.settings).send(new CreateBucketCommand({ Bucket: BUCKET }));
      bucketMade = true;
    }
    // a fresh prefix per case; staging files in the case's own temporary folder
    where = [
      `s3://${BUCKET}/${path.basename(dir)}`,
      '--s3-endpoint',
      s3.settings.endpoint!,
      '--s3-force-path-style'
    ];
    env = { ...s3.env, TMPDIR: dir };
  }
  const service = await startNgshare(
    [
      '--vngshare',
      '--admins',
      'root',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--max-body-size',
      String(LIMIT_MIB),
      '--database',
      `sqlite:///${path.join(dir, 'bench.db')}`,
      '--storage',
      ...where
    ],
    env
  );
  services.push(service);
  const call = async (p: string, form: Record<string, string>) => {
    const r = await fetch(service.url + p, { method: 'POST', body: new URLSearchParams(form) });
    const answer = (await r.json()) as { success: boolean; message?: string };
    if (!answer.success) {
      throw new Error(`${p}: ${answer.message}`);
    }
  };
  await call('course/bench', { user: 'root', instructors: '["teacher"]' });
  await call('student/bench/s0', {
    user: 'teacher',
    first_name: 'S',
    last_name: 'Zero',
    email: ''
  });
  await call('assignment/bench/ps1', {
    user: 'teacher',
    files: JSON.stringify([{ path: 'big.ipynb', content: Buffer.from('{}').toString('base64') }])
  });
  return service;
}

function row(label: string, bodyBytes: number, baseline: number, peak: number, extra: string) {
  const growth = peak - baseline;
  console.log(
    `${label.padEnd(44)} body ${mib(bodyBytes).padStart(4)} MiB  rss ${mib(baseline).padStart(4)} → peak ${mib(peak).padStart(4)} MiB  +${mib(growth).padStart(4)} MiB = ${(growth / bodyBytes).toFixed(2)}× body  ${extra}`
  );
}

async function uploadCase(
  label: string,
  kind: Kind,
  sizeMiB: number,
  expect: number,
  declare = true,
  storage: Storage = 'folder'
) {
  const service = await vngshare(storage);
  const body = submissionBody(kind, sizeMiB * MiB);
  const { result, baseline, peak } = await measure(service.child.pid!, () =>
    post(`${service.url}submission/bench/ps1?user=s0`, body, { declare })
  );
  if (result.status !== expect) {
    throw new Error(`${label}: expected ${expect}, got ${result.status} ${result.message}`);
  }
  row(
    label,
    body.length,
    baseline,
    peak,
    `${result.status} in ${(result.ms / 1000).toFixed(1)} s` +
      (result.status === 200 ? '' : `, ${mib(result.sent)} MiB sent: ${result.message}`)
  );
  if (result.status === 200) {
    // what it stored, downloaded again (the v1 answer is one JSON body with the base64)
    const got = await measure(service.child.pid!, () => download(service.url));
    row(
      `  its download (GET submission)`,
      got.result.bytes,
      got.baseline,
      got.peak,
      `${got.result.status} in ${(got.result.ms / 1000).toFixed(1)} s`
    );
  }
  await service.stop();
}

async function download(base: string): Promise<{ status: number; bytes: number; ms: number }> {
  const started = performance.now();
  const list = await fetch(`${base}submissions/bench/ps1/s0?user=teacher`);
  const { submissions } = (await list.json()) as { submissions: Array<{ timestamp: string }> };
  const q = new URLSearchParams({ user: 'teacher', timestamp: submissions[0].timestamp });
  const res = await fetch(`${base}submission/bench/ps1/s0?${q}`);
  let bytes = 0;
  for await (const chunk of res.body!) {
    bytes += (chunk as Uint8Array).length;
  }
  return { status: res.status, bytes, ms: performance.now() - started };
}

async function anonymousCase() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-bench-mem-'));
  dirs.push(dir);
  // Hub mode with defaults (100 MiB bodies); no token is sent, so the hub is never asked.
  const service = await startNgshare(
    [
      '--jupyterhub_api_url',
      'http://127.0.0.1:9/hub/api',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--database',
      `sqlite:///${path.join(dir, 'bench.db')}`,
      '--storage',
      path.join(dir, 'files')
    ],
    { JUPYTERHUB_API_TOKEN: 'bench-only', JUPYTERHUB_SERVICE_URL: '' }
  );
  services.push(service);
  const body = submissionBody('urlencoded', opts.anonymous * MiB);
  const { result, baseline, peak } = await measure(service.child.pid!, () =>
    Promise.all(
      Array.from({ length: opts.parallel }, () => post(`${service.url}submission/bench/ps1`, body))
    )
  );
  const bad = result.filter(a => a.status !== 401);
  if (bad.length > 0) {
    throw new Error(`anonymous POSTs: expected 401, got ${bad.map(a => a.status).join(', ')}`);
  }
  const times = result.map(a => a.ms).sort((a, b) => a - b);
  row(
    `${opts.parallel} × anonymous urlencoded at once (hub)`,
    body.length * opts.parallel,
    baseline,
    peak,
    `401 after ${times[0].toFixed(0)}–${times[times.length - 1].toFixed(0)} ms, ` +
      `${mib(Math.max(...result.map(a => a.sent)))} MiB sent at most`
  );
  await service.stop();
}

async function main() {
  const deadline = setTimeout(() => {
    console.error(`bench:upload-memory: not done after ${opts.deadline} s; stopping`);
    for (const s of services) {
      s.child.kill('SIGKILL');
    }
    cleanUp();
    process.exit(1);
  }, opts.deadline * 1000);
  deadline.unref();
  console.log(
    `ngshare-ts ${VERSION} upload memory (SQLite, one fresh service per case, --max-body-size ${LIMIT_MIB} unless hub)`
  );
  const storages: Storage[] = opts.s3 ? ['folder', 's3'] : ['folder'];
  for (const storage of storages) {
    for (const kind of ['urlencoded', 'multipart'] as const) {
      for (const size of [opts.small, opts.large]) {
        await uploadCase(`${kind} submission (${storage})`, kind, size, 200, true, storage);
      }
    }
  }
  const over = LIMIT_MIB + 20;
  await uploadCase('urlencoded over --max-body-size (declared)', 'urlencoded', over, 413);
  await uploadCase('urlencoded over --max-body-size (chunked)', 'urlencoded', over, 413, false);
  await uploadCase('multipart field over its 256 MiB cap', 'multipart', 270, 413);
  await anonymousCase();
  clearTimeout(deadline);
}

function cleanUp() {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dropBucket() {
  if (!bucketMade) {
    return;
  }
  const client = createS3Client(s3ServerOf(opts.s3!).settings);
  const staging = mkdtempSync(path.join(tmpdir(), 'ngshare-bench-drop-'));
  try {
    await new S3BlobStorage(client, { bucket: BUCKET, prefix: '' }, staging).clear();
    await client.send(new DeleteBucketCommand({ Bucket: BUCKET }));
  } finally {
    rmSync(staging, { recursive: true, force: true });
    client.destroy();
  }
}

void main()
  .catch(err => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all(services.map(s => s.stop()));
    await dropBucket();
    cleanUp();
  });
