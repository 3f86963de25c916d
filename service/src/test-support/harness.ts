/**
 * Builds a real app on a real database for tests: a temporary SQLite file,
 * or a fresh PostgreSQL database when NGSHARE_TEST_PG_URL is set (the
 * suites run once per engine with `describe.each(engines())`). Files go to a
 * temporary folder, or to a fresh bucket on the real S3 server (SeaweedFS)
 * that NGSHARE_TEST_S3_URL names: suites that touch files run on each pair
 * with `describe.each(backends())`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp, type ExchangeApp } from '../app';
import type { ServiceConfig } from '../config/service-config';
import { createKnex, createReadKnex } from '../db/knex-factory';
import { migrateToLatest } from '../db/migrations';
import type { Logger } from 'pino';
import type { HubClient } from '../hub/hub-client';
import { silentLogger } from '../logging';
import { recordingHandler } from './response-recorder';
import type { BlobStorage } from '../storage/blob-storage';
import { LocalBlobStorage } from '../storage/local-blob-storage';
import { createS3Client, S3BlobStorage, type S3Settings } from '../storage/s3-blob-storage';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { VERSION } from '../version';
import { s3ServerOf } from '../bench/bench-service';

export type Engine = 'sqlite' | 'postgres';

/** The engines this run can test: SQLite always, PostgreSQL when configured. */
export function engines(): Engine[] {
  return process.env.NGSHARE_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export type StorageKind = 'folder' | 's3';

/** The storages this run can test: a folder always, S3 when NGSHARE_TEST_S3_URL is set. */
export function storageKinds(): StorageKind[] {
  return process.env.NGSHARE_TEST_S3_URL ? ['folder', 's3'] : ['folder'];
}

/** Every engine × storage pair this run can test, for `describe.each`. */
export function backends(): Array<[Engine, StorageKind]> {
  return engines().flatMap(engine => storageKinds().map(s => [engine, s] as [Engine, StorageKind]));
}

/** Client settings for the test S3 server (NGSHARE_TEST_S3_URL = http://KEY:SECRET@HOST:PORT). */
export function testS3Settings(): S3Settings {
  return s3ServerOf(process.env.NGSHARE_TEST_S3_URL!).settings;
}

/** The test S3 server's keys and region as a service reads them from its environment. */
export function testS3Env(): Record<string, string> {
  return s3ServerOf(process.env.NGSHARE_TEST_S3_URL!).env;
}

/** A fresh bucket on the test S3 server; `drop` empties and removes it. */
export async function createTestBucket(): Promise<{ bucket: string; drop(): Promise<void> }> {
  const client = createS3Client(testS3Settings());
  const bucket = `ngshare-t-${randomBytes(6).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    bucket,
    drop: async () => {
      const staging = mkdtempSync(path.join(tmpdir(), 'ngshare-drop-'));
      try {
        await new S3BlobStorage(client, { bucket, prefix: '' }, staging).clear();
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        rmSync(staging, { recursive: true, force: true });
        client.destroy();
      }
    }
  };
}

/** Every hash in a storage (a cutoff in the future lists them all). */
export async function storedHashes(blobs: BlobStorage): Promise<string[]> {
  const all: string[] = [];
  for await (const sha256 of blobs.listOlderThan(-3_600_000)) {
    all.push(sha256);
  }
  return all.sort();
}

export interface TestServiceOptions {
  engine?: Engine;
  storage?: StorageKind;
  debug?: boolean;
  admins?: string[];
  prefix?: string;
  maxBodyBytes?: number;
  maxBodyBytesInFlight?: number;
  gcGraceMs?: number;
  /** Hub mode with this client; vngshare mode (`user` parameter) when absent. */
  hub?: HubClient;
  requireServiceScope?: boolean;
  /** Defaults to a silent logger; pass one to inspect what the service logs. */
  logger?: Logger;
}

export interface TestService {
  request: TestAgent;
  exchange: ExchangeApp;
  knex: Knex;
  /** The folder (folder storage) or the staging folder (S3). */
  storageDir: string;
  storage: StorageKind;
  blobs: BlobStorage;
  /** The `--storage` value another process would use for the same files. */
  storageSpec: string;
  databaseUrl: string;
  config: ServiceConfig;
  close(): Promise<void>;
}

export async function createTestDatabase(
  engine: Engine
): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-db-'));
    return {
      url: `sqlite:///${path.join(dir, 'ngshare.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true })
    };
  }
  const adminUrl = process.env.NGSHARE_TEST_PG_URL!;
  const name = `ngshare_t_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      // FORCE cannot end an autovacuum worker (a superuser's process) as the ngshare role:
      // PostgreSQL answers 42501 while one runs, so wait for it to finish and try again
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '42501' || attempt >= 20) {
            throw err;
          }
          await new Promise(resolve => setTimeout(resolve, 500));
        }
      }
      await admin.destroy();
    }
  };
}

export async function startTestService(opts: TestServiceOptions = {}): Promise<TestService> {
  const engine = opts.engine ?? 'sqlite';
  const db = await createTestDatabase(engine);
  const { parseDatabaseUrl } = await import('../db/database-url');
  const target = parseDatabaseUrl(db.url);
  const knex = createKnex(target);
  await migrateToLatest(knex);
  // as the service runs: a SQLite file's reads go to the reader pool
  const readKnex = createReadKnex(target);
  const storageDir = mkdtempSync(path.join(tmpdir(), 'ngshare-files-'));
  const storage = opts.storage ?? 'folder';
  let blobs: LocalBlobStorage | S3BlobStorage;
  let bucket: { bucket: string; drop(): Promise<void> } | undefined;
  if (storage === 's3') {
    bucket = await createTestBucket();
    blobs = new S3BlobStorage(
      createS3Client(testS3Settings()),
      { bucket: bucket.bucket, prefix: 'files/' },
      storageDir
    );
  } else {
    blobs = new LocalBlobStorage(storageDir);
  }
  await blobs.init();
  const config: ServiceConfig = {
    prefix: opts.prefix ?? '/api/',
    debug: opts.debug ?? true,
    admins: opts.admins ?? ['root'],
    mode: opts.hub ? 'hub' : 'vngshare',
    hub: opts.hub
      ? {
          apiUrl: 'http://127.0.0.1:1/hub/api',
          apiToken: 'service-token',
          clientId: 'service-ngshare',
          serviceName: 'ngshare',
          baseUrl: '/',
          oauthCallbackUrl: '/services/ngshare/oauth_callback',
          redirectUrl: '/services/ngshare/',
          requireServiceScope: opts.requireServiceScope ?? false,
          timeoutMs: 2000,
          cacheTtlMs: 60000
        }
      : null,
    maxBodyBytes: opts.maxBodyBytes ?? 100 * 1024 * 1024,
    maxBodyBytesInFlight: opts.maxBodyBytesInFlight ?? 1024 * 1024 * 1024,
    gcGraceMs: opts.gcGraceMs ?? 0,
    cookieSecret: 'test-secret',
    version: VERSION
  };
  const exchange = createApp({
    config,
    knex,
    readKnex,
    blobs,
    logger: opts.logger ?? silentLogger(),
    hub: opts.hub
  });
  return {
    // Every response is recorded for the OpenAPI conformance check (response-recorder.ts).
    request: supertest(recordingHandler(exchange.app.callback(), config.prefix)),
    exchange,
    knex,
    storageDir,
    storage,
    blobs,
    storageSpec: bucket ? `s3://${bucket.bucket}/files` : storageDir,
    databaseUrl: db.url,
    config,
    close: async () => {
      // Garbage collection runs after deletes; let it finish before the pool goes.
      await exchange.files.idle();
      await exchange.history.close();
      await readKnex?.destroy();
      await knex.destroy();
      await db.drop();
      await bucket?.drop();
      rmSync(storageDir, { recursive: true, force: true });
    }
  };
}

/** Base64 of a UTF-8 string, as ngshare clients send it. */
export const b64 = (text: string | Buffer): string =>
  (typeof text === 'string' ? Buffer.from(text) : text).toString('base64');

/** A `files` form value. */
export const filesJson = (files: Record<string, string | Buffer>): string =>
  JSON.stringify(Object.entries(files).map(([p, content]) => ({ path: p, content: b64(content) })));
