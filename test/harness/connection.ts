import * as fs from 'fs';
import { hubInfoFile } from './paths';

/** Everything a test needs to talk to a running hub; the shared hub's is in $NGSHARE_E2E_HUB_JSON. */
export interface HubInfo {
  name: string;
  /** public URL (proxy), e.g. http://127.0.0.1:PORT */
  hubUrl: string;
  /** `${hubUrl}/hub/api` */
  hubApiUrl: string;
  serviceName: string;
  /** the service through the proxy: `${hubUrl}/services/ngshare/` */
  serviceUrl: string;
  /** the service directly (bypassing the proxy) */
  serviceDirectUrl: string;
  servicePort: number;
  proxyPort: number;
  proxyApiPort: number;
  hubPort: number;
  /** token of the external service "e2e-admin" (admin:users, tokens, admin:groups, servers, ...) */
  adminToken: string;
  /** hub admin users (JupyterHub admin) */
  adminUsers: string[];
  /** ngshare --admins */
  ngshareAdmins: string[];
  /** DummyAuthenticator password ('' = any password) */
  password: string;
  workDir: string;
  /** per-user home folders: `${homesDir}/<user>` (the user's JupyterLab root) */
  homesDir: string;
  /** the hub's log (hub, proxy, service, user servers); copied to test/artifacts/hub-<name>.log at stop */
  logFile: string;
  venvDir: string;
  venvBin: string;
  python: string;
  hubPid: number;
  /** PID the hub tracks for the managed ngshare service */
  servicePid: number;
  hubVersion: string;
  ngshareDatabase: string;
  ngshareStorage: string;
  /** ngshare-ts on PostgreSQL + S3 (no shared folder), when the run has both servers */
  scaleServiceName?: string;
  /** its --database (password hidden) and --storage */
  scaleDatabase?: string;
  scaleStorage?: string;
}

/** Connection info of the shared hub started by globalSetup. */
export function loadHub(): HubInfo {
  const file = process.env.NGSHARE_E2E_HUB_JSON ?? hubInfoFile();
  if (!fs.existsSync(file)) {
    throw new Error(
      `${file} not found: the e2e tests must run under jest's globalSetup (test/jest.config.js)`
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HubInfo;
}
