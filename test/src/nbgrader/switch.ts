// "Import, then repoint the URL" in the middle of a semester: snapshot the original ngshare 0.6's
// SQLite database, import it with the pip-installed `ngshare import`, and start ngshare-ts (the same
// pip launcher, real hub mode: tokens resolved with the hub) on the imported data.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts, waitFor } from '../../harness';

const run = promisify(execFile);

export interface SwitchedServer {
  /** exchange URL for configureExchange (direct, not through the proxy) */
  url: string;
  /** what `ngshare import` printed */
  importOutput: string;
  stop(): Promise<void>;
}

export async function importAndStart(o: {
  /** venv with the ngshare-ts wheel (the harness's hub venv) */
  ngshareBin: string;
  /** a Python with the sqlite3 module, for a consistent copy of a database in use */
  python: string;
  /** the original's database file and storage folder */
  fromDbFile: string;
  fromStorage: string;
  workDir: string;
  hubApiUrl: string;
  /** the service's own JUPYTERHUB_API_TOKEN */
  apiToken: string;
  admins: string[];
}): Promise<SwitchedServer> {
  mkdirSync(o.workDir, { recursive: true });
  // the original keeps running (other courses live in it): copy with SQLite's online backup
  const copy = join(o.workDir, 'ngshare06-copy.db');
  await run(o.python, [
    '-c',
    'import sqlite3, sys; d = sqlite3.connect(sys.argv[2]); sqlite3.connect(sys.argv[1]).backup(d); d.close()',
    o.fromDbFile,
    copy
  ]);
  const db = `sqlite:///${join(o.workDir, 'ngshare.db')}`;
  const storage = join(o.workDir, 'files');
  const imported = await run(o.ngshareBin, [
    'import',
    '--from-database',
    `sqlite:///${copy}`,
    '--from-storage',
    o.fromStorage,
    '--database',
    db,
    '--storage',
    storage
  ]);
  const [port] = await freePorts(1);
  const log = openSync(join(o.workDir, 'ngshare.log'), 'w');
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTERHUB_API_TOKEN: o.apiToken };
  delete env.JUPYTERHUB_SERVICE_URL;
  const child: ChildProcess = spawn(
    o.ngshareBin,
    [
      '--admins',
      o.admins.join(','),
      '--database',
      db,
      '--storage',
      storage,
      '--prefix',
      '/services/ngshare/',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--jupyterhub_api_url',
      o.hubApiUrl
    ],
    { env, stdio: ['ignore', log, log] }
  );
  closeSync(log);
  const exited = new Promise<void>(res => child.once('exit', () => res()));
  const base = `http://127.0.0.1:${port}/services/ngshare`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    await waitFor(
      async () => (await fetch(`${base}/healthz`).catch(() => null))?.status === 200,
      30_000,
      `imported ngshare-ts at ${base}`
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: base, importOutput: imported.stdout + imported.stderr, stop };
}
