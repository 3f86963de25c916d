/**
 * `pip install .` from a fresh checkout (test/scripts/setup-pip-source.sh: a copy of the tracked
 * files, no node_modules and no build output, pip-installed into a clean venv). The Python build
 * ran npm itself (hatch_build.py -> scripts/build-wheel.sh --stage-only): the venv holds a working
 * `ngshare` and the labextension, and serves with Node.js from PATH.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ARTIFACTS_DIR, CACHE_DIR, ROOT_DIR, freePorts, waitFor } from './harness';

const OUT = path.join(CACHE_DIR, 'pip-source');
const VENV = path.join(OUT, 'venv');
const version: string = JSON.parse(
  fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')
).version;
let child: ChildProcess | undefined;
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-pip-source-'));
});
afterAll(() => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the copy started without node_modules or build output, and the build made them', () => {
  const log = fs.readFileSync(path.join(OUT, 'build.log'), 'utf8');
  // hatch_build.py ran the npm build (npm ci included: the copy had no node_modules)
  expect(log).toContain('[build-wheel] npm ci');
  expect(log).toContain('[build-wheel] staged ngshare_ts/_service and ngshare_ts/labextension');
  expect(log).toMatch(/Successfully installed ngshare-ts-/);
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(ARTIFACTS_DIR, 'pip-install-source-seconds.txt'),
    fs.readFileSync(path.join(OUT, 'seconds.txt'))
  );
});

test('the venv has the labextension and the bundled service', () => {
  const labext = path.join(
    VENV,
    'share',
    'jupyter',
    'labextensions',
    '@ngshare-ts',
    'labextension'
  );
  const pkg = JSON.parse(fs.readFileSync(path.join(labext, 'package.json'), 'utf8'));
  expect(pkg.name).toBe('@ngshare-ts/labextension');
  expect(pkg.version).toBe(version);
  expect(fs.existsSync(path.join(labext, 'install.json'))).toBe(true);
  expect(fs.readdirSync(path.join(labext, 'static')).some(f => f.startsWith('remoteEntry.'))).toBe(
    true
  );
  const site = execFileSync(
    path.join(VENV, 'bin', 'python'),
    ['-c', 'import ngshare_ts, os; print(os.path.dirname(ngshare_ts.__file__))'],
    { encoding: 'utf8' }
  ).trim();
  expect(fs.existsSync(path.join(site, '_service', 'service', 'lib', 'cli.js'))).toBe(true);
});

test('`ngshare` from the venv serves', async () => {
  const [port] = await freePorts(1);
  let out = '';
  child = spawn(
    path.join(VENV, 'bin', 'ngshare'),
    [
      '--vngshare',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--database',
      `sqlite:///${path.join(tmp, 'ngshare.db')}`,
      '--storage',
      path.join(tmp, 'files')
    ],
    { env: { PATH: `${path.join(VENV, 'bin')}:${process.env.PATH}`, HOME: tmp } }
  );
  child.stdout!.on('data', d => (out += d));
  child.stderr!.on('data', d => (out += d));
  const base = `http://127.0.0.1:${port}/api/`;
  await waitFor(
    async () => (await fetch(`${base}healthz`).catch(() => undefined))?.ok === true,
    30_000,
    'the service from the source install'
  ).catch(err => {
    throw new Error(`${err}\n${out}`);
  });
  const v = await (await fetch(`${base}version`)).json();
  expect(v).toMatchObject({ success: true, name: 'ngshare-ts', version });
  child.kill('SIGTERM');
  await new Promise(resolve => child!.once('exit', resolve));
}, 60_000);
