/**
 * Runs the real command (`node service/lib/cli.js`) for the process-level
 * suites. `ensureBuilt()` compiles lib/ when it is missing or older than
 * src/ (under a lock, since several test files may ask at once).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const SERVICE_DIR = path.join(__dirname, '..', '..');
export const CLI = path.join(SERVICE_DIR, 'lib', 'cli.js');

function newestMtime(dir: string, filter: (name: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') {
        newest = Math.max(newest, newestMtime(full, filter));
      }
    } else if (filter(entry.name)) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

function isStale(): boolean {
  let built: number;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    return true;
  }
  const sources = newestMtime(
    path.join(SERVICE_DIR, 'src'),
    n => n.endsWith('.ts') && !n.endsWith('.test.ts')
  );
  return sources > built;
}

/** Builds service/lib if it is missing or older than the sources. */
export function ensureBuilt(): void {
  if (!isStale()) {
    return;
  }
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(
    'flock',
    ['/tmp/ngshare-ts-service-build.lock', process.execPath, tsc, '-p', 'tsconfig.build.json'],
    { cwd: SERVICE_DIR, encoding: 'utf8' }
  );
  if (result.status !== 0) {
    throw new Error(`building service/lib failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CliRun {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = SERVICE_DIR): CliRun {
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', chunk => (out += chunk));
  proc.stderr!.on('data', chunk => (err += chunk));
  const exited = new Promise<number | string>(resolve =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1))
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Starts the CLI and waits for its `"msg":"listening"` log line. */
export async function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 20_000,
  cwd = SERVICE_DIR
): Promise<CliRun> {
  const run = runCli(args, env, cwd);
  const deadline = Date.now() + timeoutMs;
  while (!run.stdout().includes('"msg":"listening"')) {
    const early = await Promise.race([
      run.exited,
      new Promise(resolve => setTimeout(() => resolve(undefined), 50))
    ]);
    if (early !== undefined) {
      throw new Error(
        `ngshare exited (${early}) before listening:\n${run.stderr()}\n${run.stdout()}`
      );
    }
    if (Date.now() > deadline) {
      run.proc.kill('SIGKILL');
      throw new Error(
        `ngshare did not start within ${timeoutMs} ms:\n${run.stderr()}\n${run.stdout()}`
      );
    }
  }
  return run;
}
