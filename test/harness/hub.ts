/**
 * Start and stop a real JupyterHub (pip-installed in a venv under test/.cache/) with ngshare-ts
 * registered as a *managed* service started through the pip launcher (`<venv>/bin/ngshare`).
 * Used by globalSetup (the one shared hub) and by tests that need a hub of their own.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { HubInfo } from './connection';
import { CACHE_DIR, ARTIFACTS_DIR, HARNESS_DIR, VENV_DIR } from './paths';
import { freePorts, isPortOpen, sleep, waitFor } from './net';
import type { ScaleBackend } from './scale-backend';

/** Name of the second ngshare-ts service, on PostgreSQL + S3 (70-ngshare-scale.py). */
export const SCALE_SERVICE = 'ngshare-scale';

export interface StartHubOptions {
  /** Short name used for folders and logs, e.g. "main" or "hub4". */
  name: string;
  /** venv holding jupyterhub (and the ngshare-ts wheel). Default: test/.cache/venv. */
  venvDir?: string;
  /** JupyterHub service name (URL prefix /services/<name>/). Default "ngshare". */
  serviceName?: string;
  /** Hub admin users. Default ["admin"]. */
  adminUsers?: string[];
  /** ngshare --admins. Default ["admin"]. */
  ngshareAdmins?: string[];
  /** Extra arguments for the ngshare command. */
  ngshareArgs?: string[];
  /**
   * Replace the service command: receives the default command ([<venv>/bin/ngshare, ...flags])
   * and returns the one to register (e.g. to wrap it).
   */
  wrapServiceCommand?: (command: string[]) => string[];
  /** Extra environment for the managed service. */
  serviceEnv?: Record<string, string>;
  /** Extra environment for single-user servers. */
  singleuserEnv?: Record<string, string>;
  /** Environment overrides for the hub process itself. */
  hubEnv?: Record<string, string>;
  /** DummyAuthenticator password (any password when unset). */
  password?: string;
  /** Also register ngshare-ts on this database and bucket as SCALE_SERVICE. */
  scale?: ScaleBackend;
  /** How long to wait for hub + service to be healthy. Default 120 s. */
  startTimeoutMs?: number;
}

export interface RunningHub {
  info: HubInfo;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** configurable-http-proxy from the e2e workspace's devDependencies (npm). */
export function proxyCommand(): string[] {
  const pkgJson = require.resolve('configurable-http-proxy/package.json', { paths: [HARNESS_DIR] });
  const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { bin: Record<string, string> };
  const bin = path.resolve(path.dirname(pkgJson), pkg.bin['configurable-http-proxy']);
  return [process.execPath, bin];
}

function tail(file: string, lines = 60): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startHub(opts: StartHubOptions): Promise<RunningHub> {
  const venvDir = opts.venvDir ?? VENV_DIR;
  const venvBin = path.join(venvDir, 'bin');
  const jupyterhubBin = path.join(venvBin, 'jupyterhub');
  const ngshareBin = path.join(venvBin, 'ngshare');
  for (const f of [jupyterhubBin, ngshareBin]) {
    if (!fs.existsSync(f)) {
      throw new Error(
        `${f} is missing: run \`npm run setup -w @ngshare-ts/e2e\` (test/scripts/setup-e2e.sh)`
      );
    }
  }
  const serviceName = opts.serviceName ?? 'ngshare';
  fs.mkdirSync(path.join(CACHE_DIR, 'runs'), { recursive: true });
  pruneOldRuns(path.join(CACHE_DIR, 'runs'));
  const workDir = fs.mkdtempSync(path.join(CACHE_DIR, 'runs', `${opts.name}-`));
  const homesDir = path.join(workDir, 'homes');
  const dataDir = path.join(workDir, 'ngshare');
  fs.mkdirSync(homesDir, { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const logFile = path.join(workDir, 'hub.log');

  const [proxyPort, proxyApiPort, hubPort, servicePort] = await freePorts(4);
  const adminToken = randomBytes(24).toString('hex');
  const database = `sqlite:///${path.join(dataDir, 'ngshare.db')}`; // sqlite:////abs/path
  const storage = path.join(dataDir, 'files');
  const ngshareAdmins = opts.ngshareAdmins ?? ['admin'];
  const ngshareCommand = [
    ngshareBin,
    '--admins',
    ngshareAdmins.join(','),
    '--database',
    database,
    '--storage',
    storage,
    ...(opts.ngshareArgs ?? [])
  ];
  const settings = {
    workDir,
    homesDir,
    proxyPort,
    proxyApiPort,
    hubPort,
    servicePort,
    serviceName,
    adminUsers: opts.adminUsers ?? ['admin'],
    adminToken,
    password: opts.password ?? '',
    proxyCommand: proxyCommand(),
    ngshareCommand: opts.wrapServiceCommand
      ? opts.wrapServiceCommand(ngshareCommand)
      : ngshareCommand,
    serviceEnv: opts.serviceEnv ?? {},
    singleuserEnv: opts.singleuserEnv ?? {},
    scaleService: opts.scale
      ? {
          name: SCALE_SERVICE,
          command: [ngshareBin, '--admins', ngshareAdmins.join(','), ...opts.scale.args],
          environment: opts.scale.env
        }
      : null
  };
  const settingsFile = path.join(workDir, 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));

  const log = fs.openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}`,
    VIRTUAL_ENV: venvDir,
    NGSHARE_E2E_SETTINGS: settingsFile,
    // keep the developer's own Jupyter config out of the hub and user servers
    JUPYTER_CONFIG_DIR: path.join(workDir, 'jupyter-config'),
    JUPYTERHUB_CRYPT_KEY: '',
    ...(opts.hubEnv ?? {})
  };
  delete env.JUPYTERHUB_API_TOKEN;
  delete env.JUPYTERHUB_API_URL;
  delete env.NODE_OPTIONS;
  const child = spawn(
    jupyterhubBin,
    ['-f', path.join(HARNESS_DIR, 'config', 'jupyterhub_config.py')],
    { cwd: workDir, env, stdio: ['ignore', log, log], detached: true }
  );
  fs.closeSync(log);
  let exited: { code: number | null; signal: string | null } | null = null;
  const exitPromise = new Promise<void>(resolve => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });

  const hubUrl = `http://127.0.0.1:${proxyPort}`;
  const info: HubInfo = {
    name: opts.name,
    hubUrl,
    hubApiUrl: `${hubUrl}/hub/api`,
    serviceName,
    serviceUrl: `${hubUrl}/services/${serviceName}/`,
    serviceDirectUrl: `http://127.0.0.1:${servicePort}/services/${serviceName}/`,
    servicePort,
    proxyPort,
    proxyApiPort,
    hubPort,
    adminToken,
    adminUsers: settings.adminUsers,
    ngshareAdmins,
    password: settings.password,
    workDir,
    homesDir,
    logFile,
    venvDir,
    venvBin,
    python: path.join(venvBin, 'python'),
    hubPid: child.pid ?? -1,
    servicePid: -1,
    hubVersion: '',
    ngshareDatabase: database,
    ngshareStorage: storage,
    ...(opts.scale
      ? {
          scaleServiceName: SCALE_SERVICE,
          scaleDatabase: opts.scale.database,
          scaleStorage: opts.scale.storage
        }
      : {})
  };

  const stop = async (): Promise<void> => {
    try {
      await stopHub(info, child, exitPromise, () => exited !== null);
    } finally {
      fs.copyFileSync(logFile, path.join(ARTIFACTS_DIR, `hub-${opts.name}.log`));
    }
  };

  try {
    const deadline = opts.startTimeoutMs ?? 120_000;
    await waitFor(
      async () => {
        if (exited) {
          throw new Error(`JupyterHub exited early (${JSON.stringify(exited)})`);
        }
        const r = await fetch(`${info.hubApiUrl}/`).catch(() => null);
        if (!r || r.status !== 200) {
          return false;
        }
        info.hubVersion = ((await r.json()) as { version: string }).version;
        const h = await fetch(`${info.serviceUrl}healthz`).catch(() => null);
        return h !== null && h.status === 200;
      },
      deadline,
      `JupyterHub ${opts.name} + ngshare healthy at ${info.serviceUrl}healthz`
    );
    // the PID the hub tracks for the managed service (exec'd Node, if the launcher works)
    const svc = await fetch(`${info.hubApiUrl}/services/${serviceName}`, {
      headers: { Authorization: `token ${adminToken}` }
    });
    if (svc.status === 200) {
      info.servicePid = ((await svc.json()) as { pid?: number }).pid ?? -1;
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw new Error(`${(err as Error).message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
  }
  return { info, process: child, stop };
}

/** Remove run folders (homes, databases) of earlier runs that are more than a day old. */
function pruneOldRuns(runsDir: string): void {
  const cutoff = Date.now() - 24 * 3600 * 1000;
  for (const entry of fs.readdirSync(runsDir)) {
    const dir = path.join(runsDir, entry);
    try {
      if (fs.statSync(dir).mtimeMs < cutoff) {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } catch {
      // removed concurrently
    }
  }
}

function pidAlive(pid: number): boolean {
  if (pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PIDs of processes whose command line mentions `needle` (our own run folder). */
export function pidsMatching(needle: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle) && Number(entry) !== process.pid) {
        out.push(Number(entry));
      }
    } catch {
      // process gone
    }
  }
  return out;
}

/**
 * Stop the hub the way an admin does (SIGTERM to the hub; the hub stops the proxy, user servers
 * and the managed service), then verify nothing is left: the hub process, the service PID and the
 * service/proxy ports. Leftovers are killed and reported as an error.
 */
export async function stopHub(
  info: HubInfo,
  child: ChildProcess | null,
  exitPromise: Promise<void> | null,
  hasExited: () => boolean
): Promise<void> {
  if (!hasExited() && pidAlive(info.hubPid)) {
    process.kill(info.hubPid, 'SIGTERM');
    const waited = exitPromise
      ? await withTimeout(exitPromise, 40_000)
      : await waitGone(info.hubPid, 40_000);
    if (!waited) {
      try {
        process.kill(-info.hubPid, 'SIGKILL');
      } catch {
        // already gone
      }
      throw new Error(`JupyterHub ${info.name} did not stop within 40 s of SIGTERM`);
    }
  }
  void child;
  const problems: string[] = [];
  if (info.servicePid > 0 && !(await waitGone(info.servicePid, 20_000))) {
    problems.push(`service process ${info.servicePid} still running after the hub stopped`);
  }
  for (const [what, port] of [
    ['ngshare service', info.servicePort],
    ['proxy', info.proxyPort],
    ['proxy API', info.proxyApiPort],
    ['hub', info.hubPort]
  ] as const) {
    let open = await isPortOpen(port);
    for (let i = 0; open && i < 40; i++) {
      await sleep(250);
      open = await isPortOpen(port);
    }
    if (open) {
      problems.push(`${what} port ${port} still accepts connections after the hub stopped`);
    }
  }
  if (problems.length > 0) {
    for (const pid of pidsMatching(info.workDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    throw new Error(`JupyterHub ${info.name} left processes behind: ${problems.join('; ')}`);
  }
}

/** true if `p` settles within `ms` (the timer is cleared so it never keeps jest alive). */
async function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>(resolve => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!pidAlive(pid) || isZombie(pid)) {
      return true;
    }
    await sleep(100);
  }
  return false;
}

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
