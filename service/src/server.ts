/**
 * Opens the database and storage, builds the app and listens; `close()`
 * stops accepting, lets requests in flight finish and releases the pool.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { ServiceConfig } from './config/service-config';
import { parseDatabaseUrl, redactUrl } from './db/database-url';
import { createKnex, createReadKnex } from './db/knex-factory';
import { isSchemaCurrent, migrateToLatest } from './db/migrations';
import type { Metrics } from './metrics';
import type { BlobStorage } from './storage/blob-storage';
import { seedDemo } from './demo';
import { openBlobStorage } from './storage/open-blob-storage';
import type { S3Settings } from './storage/s3-blob-storage';

export interface StartOptions {
  config: ServiceConfig;
  databaseUrl: string;
  /** A folder, or `s3://BUCKET[/PREFIX]`. */
  storage: string;
  /** Endpoint, path style, region, keys for `s3://` storage (else the SDK's defaults). */
  s3?: S3Settings;
  /** Scratch folder for S3 uploads in progress (default: the system's temporary folder). */
  stagingDir?: string;
  upgradeDb: boolean;
  host: string;
  port: number;
  logger: Logger;
  metrics?: Metrics;
  demo?: boolean;
  /** How often unreferenced files are collected (0 disables the timer). */
  gcIntervalMs?: number;
  /** How often rosters that follow hub groups are synced (0 or absent: only on demand). */
  groupSyncIntervalMs?: number;
  /** Time a client has to send a whole request (default 900 s; 0: no limit). */
  requestTimeoutMs?: number;
  /** Longest wait for a database connection or statement (default 30 s). */
  dbTimeoutMs?: number;
}

export interface RunningService {
  server: Server;
  knex: Knex;
  url: string;
  close(): Promise<void>;
}

export async function startService(opts: StartOptions): Promise<RunningService> {
  const { logger } = opts;
  const target = parseDatabaseUrl(opts.databaseUrl);
  const knex = createKnex(target, { timeoutMs: opts.dbTimeoutMs ?? 30_000 });
  try {
    if (opts.upgradeDb) {
      const applied = await migrateToLatest(knex);
      if (applied.length > 0) {
        logger.info({ applied }, 'database migrated');
      }
    } else if (!(await isSchemaCurrent(knex))) {
      throw new Error(
        'the database schema is not current and --no-upgrade-db was given; run once without it'
      );
    }
  } catch (err) {
    await knex.destroy();
    throw err;
  }
  let blobs: BlobStorage;
  let storage: string;
  try {
    ({ blobs, description: storage } = await openBlobStorage(
      opts.storage,
      opts.s3,
      opts.stagingDir
    ));
  } catch (err) {
    await knex.destroy();
    throw err;
  }
  // after the migrations: the readers are query_only
  const readKnex = createReadKnex(target);
  const { app, files, store, groups, history } = createApp({
    config: opts.config,
    knex,
    readKnex,
    blobs,
    logger,
    metrics: opts.metrics
  });
  const strays = await files.removeStrays(store);
  if (strays > 0) {
    logger.warn({ strays }, 'removed stored files that no database row references');
  }
  if (opts.demo) {
    await seedDemo(store, files, logger);
  }

  const requestTimeout = opts.requestTimeoutMs ?? 900_000;
  // Node checks request time-outs on this interval (30 s by default): a fraction of the limit.
  const server = createServer(
    { connectionsCheckingInterval: Math.max(500, Math.min(30_000, requestTimeout / 4 || 30_000)) },
    app.callback()
  );
  // Long enough for a large upload over a slow link, short enough that a client trickling a
  // body cannot hold a connection (and its share of the body budget) for ever.
  server.requestTimeout = requestTimeout;
  server.headersTimeout = Math.min(60_000, server.requestTimeout || 60_000);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${opts.config.prefix}`;
  logger.info(
    {
      url,
      mode: opts.config.mode,
      database: redactUrl(opts.databaseUrl),
      storage,
      admins: opts.config.admins
    },
    'listening'
  );
  const timer =
    opts.gcIntervalMs && opts.gcIntervalMs > 0
      ? setInterval(() => void files.collectGarbage(store), opts.gcIntervalMs).unref()
      : undefined;
  const groupTimer =
    opts.groupSyncIntervalMs && opts.groupSyncIntervalMs > 0
      ? setInterval(() => void groups.syncAll(logger), opts.groupSyncIntervalMs).unref()
      : undefined;

  let closing: Promise<void> | undefined;
  // While stopping, every answer closes its connection: a client that keeps a keep-alive
  // connection busy would otherwise hold server.close() open until the forced exit, and its
  // next request would meet a reset instead of a refused connection it can retry elsewhere.
  server.on('request', (_req, res: ServerResponse) => {
    if (closing && !res.headersSent) {
      res.setHeader('Connection', 'close');
    }
  });
  return {
    server,
    knex,
    url,
    close: () => {
      closing ??= (async () => {
        if (timer) {
          clearInterval(timer);
        }
        if (groupTimer) {
          clearInterval(groupTimer);
        }
        await new Promise<void>(resolve => {
          // answers in flight when close() began still end keep-alive: drop each connection
          // as soon as it falls idle
          const sweep = setInterval(() => server.closeIdleConnections(), 50);
          server.close(() => {
            clearInterval(sweep);
            resolve();
          });
          server.closeIdleConnections();
        });
        await files.idle(); // a collection in progress still needs the pool
        await history.close(); // queued read events
        await readKnex?.destroy();
        await knex.destroy();
      })();
      return closing;
    }
  };
}
