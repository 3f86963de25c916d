/**
 * jest globalTeardown: stop the shared hub and fail the run if the ngshare service (or the proxy)
 * is still listening afterwards. Silent on success so jest's summary stays the last output.
 */
import * as fs from 'fs';
import { hubInfoFile } from './paths';

export default async function globalTeardown(): Promise<void> {
  const hub = globalThis.__NGSHARE_E2E_HUB__;
  if (!hub) {
    return;
  }
  globalThis.__NGSHARE_E2E_HUB__ = undefined;
  try {
    await hub.stop();
  } finally {
    fs.rmSync(hubInfoFile(), { force: true });
  }
}
