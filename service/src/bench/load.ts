/**
 * A quick, bounded local load check: starts the service on loopback with a
 * temporary SQLite database (or PostgreSQL with --database), then measures
 * submissions, assignment fetches and list calls from concurrent clients.
 * Prints figures; asserts nothing. Usage:
 *   node service/lib/bench/load.js [--students 50] [--submissions 200] [--concurrency 20] [--database URL]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { silentLogger } from '../logging';
import { startService } from '../server';
import { VERSION } from '../version';

const opts = new Command('bench')
  .option('--students <n>', 'students in the course', Number, 50)
  .option('--submissions <n>', 'submissions to send', Number, 200)
  .option('--fetches <n>', 'assignment downloads', Number, 300)
  .option('--lists <n>', 'list calls', Number, 1000)
  .option('--concurrency <n>', 'requests in flight', Number, 20)
  .option('--file-kib <n>', 'size of each of the 3 notebooks', Number, 200)
  .option('--database <url>', 'database URL (default: a temporary SQLite file)')
  .parse()
  .opts<{
    students: number;
    submissions: number;
    fetches: number;
    lists: number;
    concurrency: number;
    fileKib: number;
    database?: string;
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

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-bench-'));
  const service = await startService({
    config: {
      prefix: '/api/',
      debug: false,
      admins: ['root'],
      mode: 'vngshare',
      hub: null,
      maxBodyBytes: 100 * 1024 * 1024,
      gcGraceMs: 600_000,
      cookieSecret: 'bench',
      version: VERSION
    },
    databaseUrl: opts.database ?? `sqlite:///${path.join(dir, 'bench.db')}`,
    storageDir: path.join(dir, 'files'),
    upgradeDb: true,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger()
  });
  const base = service.url;
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
  const rssBefore = process.memoryUsage().rss;
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
    `ngshare-ts ${VERSION} load check (${opts.database ? 'custom database' : 'SQLite'}, concurrency ${opts.concurrency}, 3 × ${opts.fileKib} KiB notebooks)`
  );
  console.log(`submit            ${submit}`);
  console.log(`fetch assignment  ${fetches}`);
  console.log(`list              ${lists}`);
  console.log(`collect latest    ${collect}`);
  console.log(
    `storage           ${disk.files} files, ${(disk.bytes / 1048576).toFixed(1)} MiB on disk for ${(logical / 1048576).toFixed(1)} MiB uploaded (${(logical / disk.bytes).toFixed(2)}× deduplication)`
  );
  console.log(
    `memory            rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB (was ${(rssBefore / 1048576).toFixed(0)} MiB before the submissions; client and server share the process)`
  );
  await service.close();
  rmSync(dir, { recursive: true, force: true });
}

void main().catch(err => {
  console.error(err);
  process.exit(1);
});
