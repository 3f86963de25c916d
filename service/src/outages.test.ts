/**
 * Outages answer as outages, and nothing acknowledged is lost to them:
 * an unreachable or frozen database is a 503 with Retry-After (and
 * `/readyz` says so while `/healthz` stays up), a full disk a 507; the
 * start-up sweep of another replica never deletes bytes an upload reused.
 */
import { mkdtempSync, rmSync, utimesSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { createApp } from './app';
import type { ServiceConfig } from './config/service-config';
import { parseDatabaseUrl } from './db/database-url';
import { createKnex } from './db/knex-factory';
import { migrateToLatest } from './db/migrations';
import { silentLogger } from './logging';
import { FileKeeper } from './services/file-keeper';
import { LocalBlobStorage } from './storage/local-blob-storage';
import { ExchangeStore } from './store/exchange-store';
import { createTestDatabase, engines, filesJson } from './test-support/harness';
import { VERSION } from './version';

const config: ServiceConfig = {
  prefix: '/api/',
  debug: false,
  admins: ['root'],
  mode: 'vngshare',
  hub: null,
  maxBodyBytes: 10 * 1024 * 1024,
  maxBodyBytesInFlight: 100 * 1024 * 1024,
  gcGraceMs: 60_000,
  cookieSecret: 'x',
  version: VERSION,
  readyTimeoutMs: 1500
};

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('an unreachable database', () => {
  it('is a 503 with Retry-After on the API and on /readyz, while /healthz stays 200', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise(resolve => closed.close(resolve));
    const knex = createKnex(parseDatabaseUrl(`postgresql://u:p@127.0.0.1:${port}/db`), {
      timeoutMs: 1000
    });
    const storage = mkdtempSync(path.join(tmpdir(), 'ngshare-outage-'));
    try {
      const blobs = new LocalBlobStorage(storage);
      await blobs.init();
      const { app } = createApp({ config, knex, blobs, logger: silentLogger() });
      const request = supertest(app.callback());
      const res = await request.get('/api/courses?user=root');
      expect([res.status, res.body]).toEqual([
        503,
        {
          success: false,
          message:
            'The database is not reachable right now, so nothing was saved; try again in a few seconds'
        }
      ]);
      expect(res.headers['retry-after']).toBe('10');
      const ready = await request.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ success: false, storage: 'ok' });
      expect(ready.body.database).toMatch(/^unavailable/);
      expect(ready.body.message).toMatch(/^Not ready: database unavailable/);
      expect((await request.get('/healthz')).status).toBe(200);
    } finally {
      await knex.destroy();
      rmSync(storage, { recursive: true, force: true });
    }
  });
});

/** A TCP relay to PostgreSQL that can stop passing bytes: a frozen server, as clients see it. */
async function freezableRelay(target: URL) {
  const sockets: Socket[] = [];
  let frozen = false;
  const server: Server = createServer(client => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, upstream);
    const pass = (from: Socket, to: Socket) =>
      from.on('data', chunk => {
        if (!frozen) {
          to.write(chunk);
        }
      });
    pass(client, upstream);
    pass(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    freeze: () => (frozen = true),
    thaw: () => (frozen = false),
    close: async () => {
      sockets.forEach(s => s.destroy());
      await new Promise(resolve => server.close(resolve));
    }
  };
}

const pg = process.env.NGSHARE_TEST_PG_URL ? describe : describe.skip;

pg('a frozen PostgreSQL', () => {
  it('answers 503 within --db-timeout instead of waiting for the freeze, and recovers', async () => {
    const db = await createTestDatabase('postgres');
    const relay = await freezableRelay(new URL(db.url));
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    const knex = createKnex(parseDatabaseUrl(url.toString()), { timeoutMs: 1500 });
    const storage = mkdtempSync(path.join(tmpdir(), 'ngshare-frozen-'));
    try {
      await migrateToLatest(knex);
      const blobs = new LocalBlobStorage(storage);
      await blobs.init();
      const { app } = createApp({ config, knex, blobs, logger: silentLogger() });
      const request = supertest(app.callback());
      await request
        .post('/api/course/c1')
        .type('form')
        .send(form({ user: 'root' }))
        .expect(200);
      relay.freeze();
      const started = Date.now();
      const res = await request.get('/api/courses?user=root');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(Date.now() - started).toBeLessThan(8000);
      expect((await request.get('/readyz')).status).toBe(503);
      relay.thaw();
      // the pool drops the stuck connections and makes new ones
      let ok = false;
      for (let i = 0; i < 20 && !ok; i++) {
        ok = (await request.get('/api/courses?user=root')).status === 200;
        if (!ok) {
          await new Promise(resolve => setTimeout(resolve, 250));
        }
      }
      expect(ok).toBe(true);
      expect((await request.get('/readyz')).status).toBe(200);
    } finally {
      await knex.destroy();
      await relay.close();
      await db.drop();
      rmSync(storage, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Local storage whose disk is full (a unit-test stand-in: writes fail with ENOSPC). */
class FullDisk extends LocalBlobStorage {
  override async createWriter() {
    const writer = await super.createWriter();
    return {
      ...writer,
      write: async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC'
        });
      }
    };
  }
}

describe.each(engines())('on %s', engine => {
  it('a full disk is a 507 and nothing is saved', async () => {
    const db = await createTestDatabase(engine);
    const knex = createKnex(parseDatabaseUrl(db.url));
    const storage = mkdtempSync(path.join(tmpdir(), 'ngshare-full-'));
    try {
      await migrateToLatest(knex);
      const blobs = new FullDisk(storage);
      await blobs.init();
      const { app } = createApp({ config, knex, blobs, logger: silentLogger() });
      const request = supertest(app.callback());
      const post = (p: string, fields: Record<string, string>) =>
        request.post(p).type('form').send(form(fields));
      await post('/api/course/c1', { user: 'root', instructors: '["ins"]' }).expect(200);
      const res = await post('/api/assignment/c1/a1', {
        user: 'ins',
        files: filesJson({ 'big.bin': Buffer.alloc(2 * 1024 * 1024, 1) })
      });
      expect([res.status, res.body]).toEqual([
        507,
        {
          success: false,
          message:
            "The server's storage is full, so nothing was saved; ask the administrator to free space"
        }
      ]);
      const list = await request.get('/api/assignments/c1?user=ins');
      expect(list.body).toEqual({ success: true, assignments: [] });
    } finally {
      await knex.destroy();
      await db.drop();
      rmSync(storage, { recursive: true, force: true });
    }
  });

  it('SQLite acknowledges only what is on disk (synchronous = FULL)', async () => {
    if (engine !== 'sqlite') {
      return;
    }
    const db = await createTestDatabase('sqlite');
    const knex = createKnex(parseDatabaseUrl(db.url));
    try {
      const rows = await knex.raw('PRAGMA synchronous');
      expect(rows).toEqual([{ synchronous: 2 }]); // 2 = FULL
    } finally {
      await knex.destroy();
      await db.drop();
    }
  });

  it("a replica's start-up sweep never deletes bytes another replica just reused (item 3)", async () => {
    const db = await createTestDatabase(engine);
    const knexA = createKnex(parseDatabaseUrl(db.url));
    const knexB = createKnex(parseDatabaseUrl(db.url));
    const storage = mkdtempSync(path.join(tmpdir(), 'ngshare-sweep-'));
    try {
      await migrateToLatest(knexA);
      // A crash between storing bytes and committing their row left 20 old, rowless files.
      const contents = Array.from({ length: 20 }, (_, i) => Buffer.from(`leftover ${i}`));
      for (const data of contents) {
        const sha = createHash('sha256').update(data).digest('hex');
        const file = path.join(storage, 'blobs', sha.slice(0, 2), sha.slice(2));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, data);
        const old = new Date(Date.now() - 3600_000);
        utimesSync(file, old, old);
      }
      const blobsA = new LocalBlobStorage(storage);
      await blobsA.init();
      const { app } = createApp({ config, knex: knexA, blobs: blobsA, logger: silentLogger() });
      const request = supertest(app.callback());
      const post = (p: string, fields: Record<string, string>) =>
        request.post(p).type('form').send(form(fields));
      await post('/api/course/c1', { user: 'root', instructors: '["ins"]' }).expect(200);

      // Replica B starts and sweeps; right after it has listed the leftovers, replica A
      // acknowledges an upload of the same bytes (which finds them present and reuses them).
      let listed!: () => void;
      const gate = new Promise<void>(resolve => (listed = resolve));
      let uploaded!: () => void;
      const done = new Promise<void>(resolve => (uploaded = resolve));
      class PausingStorage extends LocalBlobStorage {
        override async *listOlderThan(ageMs: number) {
          const all: string[] = [];
          for await (const sha of super.listOlderThan(ageMs)) {
            all.push(sha);
          }
          listed();
          await done;
          yield* all;
        }
      }
      const blobsB = new PausingStorage(storage);
      const sweeping = new FileKeeper(blobsB, silentLogger(), 60_000).removeStrays(
        new ExchangeStore(knexB)
      );
      await gate;
      const tree = Object.fromEntries(contents.map((data, i) => [`f${i}.txt`, data]));
      await post('/api/assignment/c1/a1', { user: 'ins', files: filesJson(tree) }).expect(200);
      uploaded();
      await sweeping;

      const fetched = await request.get('/api/assignment/c1/a1?user=ins');
      expect(fetched.status).toBe(200);
      const byPath = new Map(
        fetched.body.files.map((f: { path: string; content: string }) => [f.path, f.content])
      );
      contents.forEach((data, i) =>
        expect(Buffer.from(byPath.get(`f${i}.txt`) as string, 'base64')).toEqual(data)
      );
    } finally {
      await knexA.destroy();
      await knexB.destroy();
      await db.drop();
      rmSync(storage, { recursive: true, force: true });
    }
  });
});
