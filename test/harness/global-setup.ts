/**
 * jest globalSetup: start ONE JupyterHub 5 (test/.cache/venv) with ngshare-ts as a managed service
 * and write its connection info to test/.cache/hub.json (see connection.ts / loadHub()).
 */
import * as fs from 'fs';
import { startHub } from './hub';
import { HUB_INFO_FILE } from './paths';

declare global {
  var __NGSHARE_E2E_HUB__: import('./hub').RunningHub | undefined;
}

export default async function globalSetup(): Promise<void> {
  const hub = await startHub({ name: 'main' });
  globalThis.__NGSHARE_E2E_HUB__ = hub;
  fs.writeFileSync(HUB_INFO_FILE, JSON.stringify(hub.info, null, 2));
  process.env.NGSHARE_E2E_HUB_JSON = HUB_INFO_FILE;
}
