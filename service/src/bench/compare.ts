/**
 * ngshare 0.6 and this service side by side in one run: both on loopback in
 * their own processes, fresh SQLite databases, one stand-in hub that answers
 * at once, the same semester workload (semester.ts) phase by phase, the two
 * servers taking turns on each phase so a busy machine slows both alike.
 * Prints per-phase ops/s, p50/p95/p99 latency, server CPU per operation and
 * peak resident memory for both, with ratios (this service ÷ ngshare 0.6,
 * latency and CPU as ngshare ÷ this service, so > 1 is better throughout).
 * Prints figures; asserts nothing. Usage (after npm run build):
 *   npm run bench:compare -w @ngshare-ts/service -- [--scales small,medium] [--ten-thousand]
 *     [--only ngshare-ts] [--database URL] [--profile DIR]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { StandInHub } from '../test-support/stand-in-hub';
import { hotPath } from './hot-path';
import { VERSION } from '../version';
import {
  Client,
  enrolInOneRequest,
  percentile,
  PHASES,
  SCALES,
  Semester,
  type PhaseName,
  type PhaseResult
} from './semester';
import {
  cpuSecondsOf,
  peakRssMiBOf,
  startNgshare06,
  startNgshareTs,
  type RunningServer
} from './servers';

const opts = new Command('bench:compare')
  .option('--scales <list>', 'comma-separated: small, medium, large', 'small,medium')
  .option('--ten-thousand', 'also enrol 10,000 students in one request', false)
  .option('--only <server>', 'run one server only: ngshare-ts or ngshare06')
  .option('--concurrency <n>', 'requests in flight (default: per scale)', Number)
  .option('--database <url>', 'database for ngshare-ts (default: a fresh SQLite file)')
  .option('--workers <n>', 'ngshare-ts --workers (default: 1)', Number, 1)
  .option(
    '--hot-path <seconds>',
    'after the last scale: GET assignments/<course> over 64 keep-alive connections for this long, the hub answering in 5 ms (0: skip)',
    Number,
    10
  )
  .option(
    '--profile <dir>',
    'ngshare-ts only, under node --cpu-prof: writes the profile and phases.json (monotonic µs windows) to DIR'
  )
  .parse()
  .opts<{
    scales: string;
    tenThousand: boolean;
    only?: string;
    concurrency?: number;
    database?: string;
    workers: number;
    hotPath: number;
    profile?: string;
  }>();

interface Measured extends PhaseResult {
  cpuSeconds: number;
}

interface ServerRun {
  server: RunningServer;
  semester: Semester;
  phases: Map<PhaseName, Measured>;
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';
const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n >= 10 ? 1 : 2)}×` : '–');
const lat = (r: PhaseResult) =>
  [0.5, 0.95, 0.99].map(p => fmt(percentile(r.latencies, p), 1)).join(' / ');
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

function printScale(scaleName: string, runs: ServerRun[]): void {
  const scale = SCALES[scaleName];
  console.log(
    `\n### ${scale.name}: ${scale.students} students, ${scale.assignments} assignments of 3 × ${scale.notebookKib} KiB notebooks, ${opts.concurrency ?? scale.concurrency} concurrent clients\n`
  );
  const [a, b] = runs;
  if (!b) {
    console.log('| phase | ops | ops/s | p50 / p95 / p99 ms | CPU ms/op |');
    console.log('|---|---:|---:|---:|---:|');
    for (const phase of PHASES) {
      const m = a.phases.get(phase)!;
      console.log(
        `| ${phase} | ${m.ops} | ${fmt(m.ops / m.seconds, 1)} | ${lat(m)} | ${fmt((m.cpuSeconds * 1000) / m.ops, 2)} |`
      );
    }
  } else {
    console.log(
      `| phase | ops | ${a.server.name} ops/s | ${b.server.name} ops/s | ratio | ${a.server.name} p50 / p95 / p99 ms | ${b.server.name} p50 / p95 / p99 ms | p95 ratio | ${a.server.name} CPU ms/op | ${b.server.name} CPU ms/op | CPU ratio |`
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const phase of PHASES) {
      const x = a.phases.get(phase)!;
      const y = b.phases.get(phase)!;
      const cpuX = (x.cpuSeconds * 1000) / x.ops;
      const cpuY = (y.cpuSeconds * 1000) / y.ops;
      console.log(
        `| ${phase} | ${x.ops} | ${fmt(x.ops / x.seconds, 1)} | ${fmt(y.ops / y.seconds, 1)} | ${ratio(x.seconds / y.seconds)} | ${lat(x)} | ${lat(y)} | ${ratio(percentile(x.latencies, 0.95) / percentile(y.latencies, 0.95))} | ${fmt(cpuX, 2)} | ${fmt(cpuY, 2)} | ${ratio(cpuX / cpuY)} |`
      );
    }
  }
  const wall = (r: ServerRun) => [...r.phases.values()].reduce((s, m) => s + m.seconds, 0);
  const cpu = (r: ServerRun) => [...r.phases.values()].reduce((s, m) => s + m.cpuSeconds, 0);
  console.log('');
  for (const r of runs) {
    console.log(
      `${r.server.name}: whole semester ${fmt(wall(r), 1)} s wall, ${fmt(cpu(r), 1)} s server CPU, peak RSS ${fmt(peakRssMiBOf(r.server.child.pid!))} MiB`
    );
  }
  if (b) {
    console.log(
      `wall time ratio ${b.server.name} ÷ ${a.server.name}: ${(wall(b) / wall(a)).toFixed(3)}; peak RSS ratio ${(peakRssMiBOf(b.server.child.pid!) / peakRssMiBOf(a.server.child.pid!)).toFixed(2)}`
    );
  }
}

async function main() {
  const hub = new StandInHub();
  hub.nameIsToken = true;
  await hub.start();
  // The stand-in hub keeps a log of its calls; the benchmark does not need it.
  hub.calls.push = () => 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-compare-'));
  const only = opts.profile ? 'ngshare-ts' : opts.only;
  const windows: Array<{ scale: string; phase: string; start: number; end: number }> = [];
  console.log(
    `ngshare-ts ${VERSION} against ngshare 0.6, ${new Date().toISOString()}; ratios are ngshare-ts relative to ngshare 0.6 (> 1 is better)`
  );
  try {
    for (const scaleName of opts.scales.split(',')) {
      const scale = { ...SCALES[scaleName] };
      if (!SCALES[scaleName]) {
        throw new Error(`unknown scale ${scaleName}`);
      }
      scale.concurrency = opts.concurrency ?? scale.concurrency;
      const scaleDir = path.join(dir, scaleName);
      mkdirSync(scaleDir);
      const servers: RunningServer[] = [];
      if (only !== 'ngshare-ts') {
        servers.push(await startNgshare06(scaleDir, hub.url));
      }
      if (only !== 'ngshare06') {
        servers.push(
          await startNgshareTs(scaleDir, hub.url, {
            database: opts.database,
            workers: opts.workers,
            nodeArgs: opts.profile
              ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(opts.profile)]
              : []
          })
        );
      }
      const runs: ServerRun[] = [];
      const clients: Client[] = [];
      const clientOf = (base: string) => {
        const client = new Client(base);
        clients.push(client);
        return client;
      };
      try {
        for (const server of servers) {
          const semester = new Semester(clientOf(server.base), scale);
          await semester.createCourses();
          runs.push({ server, semester, phases: new Map() });
        }
        for (const phase of PHASES) {
          for (const run of runs) {
            const pid = run.server.child.pid!;
            const cpu0 = cpuSecondsOf(pid);
            const start = monotonicMicros();
            const result = await run.semester.run(phase);
            windows.push({ scale: scaleName, phase, start, end: monotonicMicros() });
            run.phases.set(phase, { ...result, cpuSeconds: cpuSecondsOf(pid) - cpu0 });
          }
        }
        printScale(scaleName, runs);
        if (opts.hotPath > 0 && scaleName === opts.scales.split(',').at(-1)) {
          console.log(
            `\nHot read path: GET assignments/${runs[0]?.semester.course} as the course's students, ` +
              `64 keep-alive connections, ${opts.hotPath} s each, the hub answering token lookups in 5 ms\n`
          );
          console.log('| server | req/s | p50 / p95 / p99 ms | failed | server CPU ms/req |');
          console.log('|---|---:|---:|---:|---:|');
          hub.delayMs = 5;
          const rates: number[] = [];
          for (const run of runs) {
            const pid = run.server.child.pid!;
            const cpu0 = cpuSecondsOf(pid);
            const r = await hotPath(
              run.server.base,
              `assignments/${run.semester.course}`,
              run.semester.students,
              64,
              opts.hotPath
            );
            const cpuMs = ((cpuSecondsOf(pid) - cpu0) * 1000) / Math.max(1, r.requests);
            rates.push(r.perSecond);
            console.log(
              `| ${run.server.name} | ${fmt(r.perSecond, 1)} | ${fmt(r.p50, 1)} / ${fmt(r.p95, 1)} / ${fmt(r.p99, 1)} | ${r.failures} | ${fmt(cpuMs, 2)} |`
            );
          }
          hub.delayMs = 0;
          if (rates.length === 2) {
            console.log(
              `\nhot path ratio ngshare-ts ÷ ngshare 0.6: ${(rates[1] / rates[0]).toFixed(1)}×`
            );
          }
        }
        if (opts.tenThousand && scaleName === opts.scales.split(',').at(-1)) {
          console.log('');
          for (const run of runs) {
            const pid = run.server.child.pid!;
            const cpu0 = cpuSecondsOf(pid);
            const ms = await enrolInOneRequest(clientOf(run.server.base), 10_000);
            console.log(
              `${run.server.name}: 10,000 students enrolled in one request in ${fmt(ms)} ms (${fmt(cpuSecondsOf(pid) - cpu0, 2)} s server CPU)`
            );
          }
        }
      } finally {
        clients.forEach(client => client.close());
        for (const server of servers) {
          await server.stop();
        }
      }
    }
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
    if (opts.profile) {
      writeFileSync(path.join(opts.profile, 'phases.json'), JSON.stringify(windows, null, 1));
    }
  }
}

void main().catch(err => {
  console.error(err);
  process.exit(1);
});
