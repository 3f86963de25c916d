/**
 * A quick, bounded local load check: starts the real `ngshare` command on
 * loopback in its own process with a temporary SQLite database (or
 * PostgreSQL with --database), then measures submissions, assignment
 * fetches, list calls and collection from concurrent clients in this process,
 * and the service's memory.
 * Prints figures; asserts nothing. Usage:
 *   node service/lib/bench/load.js [--students 50] [--submissions 200] [--concurrency 20] [--database URL]
 *     [--sqlite-synchronous NORMAL]   (prices SQLite's synchronous=FULL, the service's setting)
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { VERSION } from '../version';

const opts = new Command('bench')
  .option('--students <n>', 'students in the course', Number, 50)
  .option('--submissions <n>', 'submissions to send', Number, 200)
  .option('--fetches <n>', 'assignment downloads', Number, 300)
  .option('--lists <n>', 'list calls', Number, 1000)
  .option('--concurrency <n>', 'requests in flight', Number, 20)
  .option('--file-kib <n>', 'size of each of the 3 notebooks', Number, 200)
  .option('--database <url>', 'database URL (default: a temporary SQLite file)')
  .option('--sqlite-synchronous <mode>', 'FULL (the service) or NORMAL (for comparison)', 'FULL')
  .parse()
  .opts<{
    students: number;
    submissions: number;
    fetches: number;
    lists: number;
    concurrency: number;
    fileKib: number;
    database?: string;
    sqliteSynchronous: string;
  }>();

async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await job(i);
        latencies.push(performance.now() - t);
      }
    })
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return `${count} in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)}/s; p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`;
}

async function du(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      files += 1;
      bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
    }
  }
  return { files, bytes };
}

/** Peak and current resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** The real command in its own process, so client work does not count against it. */
async function startServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, '..', 'cli.js'),
      '--vngshare',
      '--admins',
      'root',
      '--port',
      '0',
      '--database',
      opts.database ?? `sqlite:///${path.join(dir, 'bench.db')}`,
      '--storage',
      path.join(dir, 'files'),
      '--log-level',
      'info'
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, NGSHARE_BENCH_SQLITE_SYNCHRONOUS: opts.sqliteSynchronous }
    }
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find(l => l.includes('"msg":"listening"'));
      if (line) {
        resolve(JSON.parse(line).url);
      }
    });
    child.once('exit', code => reject(new Error(`the service exited with ${code}`)));
  });
  child.stdout!.resume();
  return { url, child };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-bench-'));
  const { url: base, child } = await startServer(dir);
  const memoryAtStart = memoryOf(child.pid!);

  const post = async (p: string, form: Record<string, string>) => {
    const r = await fetch(base + p, { method: 'POST', body: new URLSearchParams(form) });
    const body = (await r.json()) as { success: boolean; message?: string };
    if (!body.success) {
      throw new Error(`${p}: ${body.message}`);
    }
  };
  const get = async (p: string) => {
    const r = await fetch(base + p);
    const body = (await r.json()) as { success: boolean; message?: string };
    if (!body.success) {
      throw new Error(`${p}: ${body.message}`);
    }
  };
  const notebook = () => randomBytes(opts.fileKib * 1024).toString('base64');
  const release = ['a.ipynb', 'b.ipynb', 'c.ipynb'].map(p => ({ path: p, content: notebook() }));
  const students = Array.from({ length: opts.students }, (_, i) => `s${i}`);
  await post('course/bench', { user: 'root', instructors: '["teacher"]' });
  await post('students/bench', {
    user: 'teacher',
    students: JSON.stringify(
      students.map(u => ({ username: u, first_name: '', last_name: '', email: '' }))
    )
  });
  await post('assignment/bench/ps1', { user: 'teacher', files: JSON.stringify(release) });
  // Each student sends the release back unchanged plus one edited notebook.
  const submit = await pool(opts.submissions, opts.concurrency, async i => {
    const files = [...release.slice(0, 2), { path: 'c.ipynb', content: notebook() }];
    await post('submission/bench/ps1', {
      user: students[i % students.length],
      files: JSON.stringify(files)
    });
  });
  const fetches = await pool(opts.fetches, opts.concurrency, async i =>
    get(`assignment/bench/ps1?user=${students[i % students.length]}`)
  );
  const lists = await pool(opts.lists, opts.concurrency, async i =>
    get(
      i % 2 ? 'submissions/bench/ps1?user=teacher' : `courses?user=${students[i % students.length]}`
    )
  );
  const collect = await pool(opts.students, opts.concurrency, async i =>
    get(`submission/bench/ps1/${students[i]}?user=teacher`)
  );
  const disk = await du(path.join(dir, 'files'));
  const logical = opts.submissions * 3 * opts.fileKib * 1024 + 3 * opts.fileKib * 1024;
  console.log(
    `ngshare-ts ${VERSION} load check (${opts.database ? 'custom database' : `SQLite synchronous=${opts.sqliteSynchronous}`}, concurrency ${opts.concurrency}, 3 × ${opts.fileKib} KiB notebooks)`
  );
  console.log(`submit            ${submit}`);
  console.log(`fetch assignment  ${fetches}`);
  console.log(`list              ${lists}`);
  console.log(`collect latest    ${collect}`);
  console.log(
    `storage           ${disk.files} files, ${(disk.bytes / 1048576).toFixed(1)} MiB on disk for ${(logical / 1048576).toFixed(1)} MiB uploaded (${(logical / disk.bytes).toFixed(2)}× deduplication)`
  );
  const memory = memoryOf(child.pid!);
  console.log(
    `service memory    rss ${memory.rssMiB.toFixed(0)} MiB now, peak ${memory.peakMiB.toFixed(0)} MiB (${memoryAtStart.rssMiB.toFixed(0)} MiB after start)`
  );
  child.kill('SIGTERM');
  await new Promise(resolve => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}

void main().catch(err => {
  console.error(err);
  process.exit(1);
});
