/**
 * What the benchmarks share: the real `ngshare` command started on loopback
 * in its own process (so the client's work does not count against it), and
 * its memory read from /proc (Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { S3Settings } from '../storage/s3-blob-storage';

export interface BenchService {
  /** The API base URL, ending in the prefix's slash. */
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `ngshare <args>` and resolves once it logs "listening" (at info
 * level: the line is not logged at warn and above, so the level is forced).
 */
export async function startNgshare(
  args: string[],
  env: NodeJS.ProcessEnv = {}
): Promise<BenchService> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'cli.js'), ...args, '--log-level', 'info'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find(l => l.includes('"msg":"listening"'));
      if (line) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(JSON.parse(line).url);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the service exited with ${code} before listening: ${stderr}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  child.stdout!.resume(); // request logs: read and dropped
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  };
}

/** Current and peak resident memory of a process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
}

/**
 * Sets a process's peak (VmHWM) back to its current RSS, so the next peak
 * read belongs to what follows. False where the kernel does not allow it.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export const MiB = 1024 * 1024;
export const mib = (bytes: number) => (bytes / MiB).toFixed(0);

/**
 * A test S3 server given as http://KEY:SECRET@HOST:PORT (NGSHARE_TEST_S3_URL, which
 * test/scripts/seaweedfs-server.sh prints): client settings, and the same keys as the AWS
 * SDK reads them from a service's environment.
 */
export function s3ServerOf(url: string): { settings: S3Settings; env: Record<string, string> } {
  const u = new URL(url);
  const credentials = {
    accessKeyId: decodeURIComponent(u.username),
    secretAccessKey: decodeURIComponent(u.password)
  };
  const region = 'us-east-1';
  return {
    settings: { endpoint: u.origin, forcePathStyle: true, region, credentials },
    env: {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: region
    }
  };
}
