/** Public entry points for embedding and tests. */
export { createApp } from './app';
export type { AppDeps, ExchangeApp } from './app';
export { startService } from './server';
export type { ServiceConfig } from './config/service-config';
export { VERSION } from './version';
