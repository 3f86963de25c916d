/**
 * jest globalTeardown: stop the shared hub and fail the run if the ngshare service (or the proxy)
 * is still listening afterwards. Silent on success so jest's summary stays the last output.
 */
import * as fs from 'fs';
import { hubInfoFile } from './paths';

export default async function globalTeardown(): Promise<void> {
  const hub = globalThis.__NGSHARE_E2E_HUB__;
  const scale = globalThis.__NGSHARE_E2E_SCALE__;
  globalThis.__NGSHARE_E2E_HUB__ = undefined;
  globalThis.__NGSHARE_E2E_SCALE__ = undefined;
  try {
    await hub?.stop();
  } finally {
    if (hub) {
      fs.rmSync(hubInfoFile(), { force: true });
    }
    // after the hub stopped its services: nothing uses the database and bucket any more
    await scale?.drop();
  }
}
