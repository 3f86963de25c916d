/**
 * jest globalSetup: start ONE JupyterHub 5 (test/.cache/venv) with ngshare-ts as a managed service
 * and write its connection info to test/.cache/hub-<pid>.json, named by $NGSHARE_E2E_HUB_JSON
 * (see connection.ts / loadHub()).
 */
import * as fs from 'fs';
import { startHub } from './hub';
import { hubInfoFile } from './paths';

declare global {
  var __NGSHARE_E2E_HUB__: import('./hub').RunningHub | undefined;
}

export default async function globalSetup(): Promise<void> {
  const hub = await startHub({ name: 'main' });
  globalThis.__NGSHARE_E2E_HUB__ = hub;
  const file = hubInfoFile();
  fs.writeFileSync(file, JSON.stringify(hub.info, null, 2));
  process.env.NGSHARE_E2E_HUB_JSON = file;
}
