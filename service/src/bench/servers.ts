/**
 * The two servers the comparison runs, each in its own process on loopback
 * with a fresh database and storage folder: ngshare 0.6 from PyPI (the cached
 * test/.cache/venv-ngshare06, made by test/scripts/setup-nbgrader.sh) and this
 * service's real command. Both resolve tokens with the given hub, so both do
 * the work a JupyterHub deployment asks of them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { NODE_FLAGS, RUNTIME_ENV } from './runtime-tuning';

export const REPO_DIR = path.join(__dirname, '..', '..', '..');
const NGSHARE06_PYTHON = path.join(REPO_DIR, 'test', '.cache', 'venv-ngshare06', 'bin', 'python');
const NGSHARE06_LAUNCH = path.join(REPO_DIR, 'test', 'fixtures', 'ngshare06_launch.py');
const CLI = path.join(__dirname, '..', 'cli.js');

export interface RunningServer {
  name: string;
  /** ends with the API prefix, e.g. http://127.0.0.1:1234/api/ */
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The cached ngshare 0.6 venv, made by the project's own setup script when it is missing. */
export function ensureNgshare06(): string {
  if (!existsSync(NGSHARE06_PYTHON)) {
    console.error('test/.cache/venv-ngshare06 is missing: running test/scripts/setup-nbgrader.sh');
    const made = spawnSync('bash', [path.join(REPO_DIR, 'test', 'scripts', 'setup-nbgrader.sh')], {
      stdio: 'inherit'
    });
    if (made.status !== 0 || !existsSync(NGSHARE06_PYTHON)) {
      throw new Error('could not set up ngshare 0.6 (test/scripts/setup-nbgrader.sh failed)');
    }
  }
  return NGSHARE06_PYTHON;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (ngshare 0.6 cannot take port 0). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited: number | null = null;
  child.once('exit', code => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`${what} exited (${exited}) before listening`);
    }
    const open = await new Promise<boolean>(resolve => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not listen within 30 s`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  };
}

function hubEnv(hubApiUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTERHUB_API_URL: hubApiUrl,
    JUPYTERHUB_API_TOKEN: 'bench-service-token',
    JUPYTERHUB_SERVICE_URL: `http://127.0.0.1:${port}`,
    JUPYTERHUB_SERVICE_PREFIX: '/api/',
    JUPYTERHUB_SERVICE_NAME: 'ngshare',
    JUPYTERHUB_CLIENT_ID: 'service-ngshare'
  };
}

export async function startNgshare06(dir: string, hubApiUrl: string): Promise<RunningServer> {
  const python = ensureNgshare06();
  const port = await freePort();
  const child = spawn(
    python,
    [
      NGSHARE06_LAUNCH,
      '--admins',
      'root',
      '--database',
      `sqlite:///${path.join(dir, 'ngshare06.db')}`,
      '--storage',
      path.join(dir, 'ngshare06-files') + '/'
    ],
    { env: hubEnv(hubApiUrl, port), stdio: ['ignore', 'ignore', 'inherit'] }
  );
  await waitForPort(port, child, 'ngshare 0.6');
  return {
    name: 'ngshare 0.6',
    base: `http://127.0.0.1:${port}/api/`,
    child,
    stop: stopper(child)
  };
}

export interface TsServerOptions {
  database?: string;
  /** node flags, e.g. --cpu-prof */
  nodeArgs?: string[];
  /** `--workers` (default 1) */
  workers?: number;
}

export async function startNgshareTs(
  dir: string,
  hubApiUrl: string,
  options: TsServerOptions = {}
): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...NODE_FLAGS,
      ...(options.nodeArgs ?? []),
      CLI,
      '--admins',
      'root',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--database',
      options.database ?? `sqlite:///${path.join(dir, 'ngshare-ts.db')}`,
      '--storage',
      path.join(dir, 'ngshare-ts-files'),
      '--log-level',
      'warn',
      '--workers',
      String(options.workers ?? 1)
    ],
    { env: { ...RUNTIME_ENV, ...hubEnv(hubApiUrl, port) }, stdio: ['ignore', 'ignore', 'inherit'] }
  );
  await waitForPort(port, child, 'ngshare-ts');
  return {
    name: 'ngshare-ts',
    base: `http://127.0.0.1:${port}/api/`,
    child,
    stop: stopper(child)
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the fields after the parenthesised command name, from field 3 (state) on
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** A process and its live descendants (a `--workers` primary and its workers), from /proc. */
export function processTreeOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (/^\d+$/.test(name)) {
      try {
        parentOf.set(Number(name), Number(statFields(Number(name))[1]));
      } catch {
        // the process ended while we looked
      }
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) {
      if (parent === tree[i]) {
        tree.push(child);
      }
    }
  }
  return tree;
}

/**
 * CPU seconds (user + system) a server has used so far, from /proc (Linux): the process, its
 * live descendants, and descendants that have ended (cutime, cstime of the root).
 */
export function cpuSecondsOf(pid: number): number {
  let ticks = 0;
  for (const p of processTreeOf(pid)) {
    try {
      const f = statFields(p);
      // utime, stime are fields 14 and 15; cutime, cstime 16 and 17 (for the root only, as
      // a live child's own ended children are counted by it)
      ticks += Number(f[11]) + Number(f[12]) + (p === pid ? Number(f[13]) + Number(f[14]) : 0);
    } catch {
      // ended meanwhile: its time is in its parent's cutime once reaped
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * Peak resident memory of a server in MiB, from /proc (Linux): the sum of each process's peak
 * (VmHWM), an upper bound when several processes peak at different moments.
 */
export function peakRssMiBOf(pid: number): number {
  let kib = 0;
  for (const p of processTreeOf(pid)) {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kib += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // ended meanwhile
    }
  }
  return kib / 1024;
}
