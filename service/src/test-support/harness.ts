/**
 * Builds a real app on a real database for tests: a temporary SQLite file,
 * or a fresh PostgreSQL database when NGSHARE_TEST_PG_URL is set (the
 * suites run once per engine with `describe.each(engines())`).
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
import { createKnex } from '../db/knex-factory';
import { migrateToLatest } from '../db/migrations';
import type { Logger } from 'pino';
import type { HubClient } from '../hub/hub-client';
import { silentLogger } from '../logging';
import { recordingHandler } from './response-recorder';
import { LocalBlobStorage } from '../storage/local-blob-storage';
import { VERSION } from '../version';

export type Engine = 'sqlite' | 'postgres';

/** The engines this run can test: SQLite always, PostgreSQL when configured. */
export function engines(): Engine[] {
  return process.env.NGSHARE_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestServiceOptions {
  engine?: Engine;
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
  storageDir: string;
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
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    }
  };
}

export async function startTestService(opts: TestServiceOptions = {}): Promise<TestService> {
  const engine = opts.engine ?? 'sqlite';
  const db = await createTestDatabase(engine);
  const { parseDatabaseUrl } = await import('../db/database-url');
  const knex = createKnex(parseDatabaseUrl(db.url));
  await migrateToLatest(knex);
  const storageDir = mkdtempSync(path.join(tmpdir(), 'ngshare-files-'));
  const blobs = new LocalBlobStorage(storageDir);
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
    databaseUrl: db.url,
    config,
    close: async () => {
      // Garbage collection runs after deletes; let it finish before the pool goes.
      await exchange.files.idle();
      await knex.destroy();
      await db.drop();
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
