/**
 * jest globalSetup: start ONE JupyterHub 5 (test/.cache/venv) with ngshare-ts as a managed service
 * and write its connection info to test/.cache/hub-<pid>.json, named by $NGSHARE_E2E_HUB_JSON
 * (see connection.ts / loadHub()). With NGSHARE_TEST_PG_URL and NGSHARE_TEST_S3_URL set, the hub
 * also runs ngshare-ts on a database and bucket of its own as "ngshare-scale" (scale-backend.ts).
 */
import * as fs from 'fs';
import { startHub } from './hub';
import { createScaleBackend, type ScaleBackend } from './scale-backend';
import { hubInfoFile } from './paths';

declare global {
  var __NGSHARE_E2E_HUB__: import('./hub').RunningHub | undefined;
  var __NGSHARE_E2E_SCALE__: ScaleBackend | undefined;
}

export default async function globalSetup(): Promise<void> {
  // PostgreSQL + S3 for the second ngshare-ts service, when scripts/test-all.sh started both
  const scale = await createScaleBackend();
  globalThis.__NGSHARE_E2E_SCALE__ = scale;
  const hub = await startHub({ name: 'main', scale });
  globalThis.__NGSHARE_E2E_HUB__ = hub;
  const file = hubInfoFile();
  fs.writeFileSync(file, JSON.stringify(hub.info, null, 2));
  process.env.NGSHARE_E2E_HUB_JSON = file;
}
