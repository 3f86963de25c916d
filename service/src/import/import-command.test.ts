/**
 * `ngshare import` as the command runs it: the source (an ngshare 0.6 SQLite file that may still
 * be serving) is opened read-only and left byte for byte as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { makeNgshare06Source, type Ngshare06Source } from '../test-support/ngshare06-source';
import { parseDatabaseUrl } from '../db/database-url';
import { createKnex } from '../db/knex-factory';
import { createS3Client, S3BlobStorage } from '../storage/s3-blob-storage';
import {
  createTestBucket,
  createTestDatabase,
  storedHashes,
  testS3Env,
  testS3Settings
} from '../test-support/harness';
import { captureOutput } from '../test-support/capture-output';
import { runImport } from './import-command';

const importCli = (argv: string[]) => captureOutput(() => runImport(argv));

const sha256 = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

describe('ngshare import (command)', () => {
  let src: Ngshare06Source;
  let work: string;

  beforeAll(async () => {
    src = await makeNgshare06Source();
    await src.db.destroy(); // as after ngshare 0.6 stopped: nothing holds the file open
  });
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'ngshare-import-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));
  afterAll(() => src.drop());

  const args = (target = path.join(work, 'ngshare.db')): string[] => [
    '--from-database',
    `sqlite:///${src.dbFile}`,
    '--from-storage',
    src.storage,
    '--database',
    `sqlite:///${target}`,
    '--storage',
    path.join(work, 'files'),
    '--log-level',
    'silent'
  ];

  it('imports and leaves the source database exactly as it was (no journal mode switch)', async () => {
    const before = sha256(src.dbFile);
    const res = await importCli(args());
    expect(res).toMatchObject({ code: 0, err: '' });
    expect(res.out).toMatch(/2 courses, 1 instructors, 2 students, 2 assignments, 4 submissions/);
    expect(sha256(src.dbFile)).toBe(before);
    // byte 18 of the header is 1 for a rollback journal and 2 for WAL
    expect(readFileSync(src.dbFile)[18]).toBe(1);
    expect(existsSync(`${src.dbFile}-wal`)).toBe(false);
  });

  it('waits for a live source that is in the middle of a write instead of failing', async () => {
    // another process (ngshare 0.6) holds the write lock for a moment
    const writer = knexFactory({
      client: 'sqlite3',
      connection: { filename: src.dbFile },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 }
    });
    try {
      // one pooled connection, so these statements share it
      await writer.raw('BEGIN EXCLUSIVE');
      await writer.raw("INSERT INTO users (id) VALUES ('late')");
      const released = new Promise<void>(resolve =>
        setTimeout(() => void writer.raw('ROLLBACK').then(() => resolve()), 800)
      );
      const res = await importCli(args());
      await released;
      expect(res).toMatchObject({ code: 0, err: '' });
      expect(res.out).toMatch(/4 submissions/);
    } finally {
      await writer.destroy();
    }
  });

  const scaleOut =
    process.env.NGSHARE_TEST_PG_URL && process.env.NGSHARE_TEST_S3_URL ? it : it.skip;
  scaleOut('imports into PostgreSQL + S3, every file in the bucket', async () => {
    const db = await createTestDatabase('postgres');
    const bucket = await createTestBucket();
    const s3 = testS3Settings();
    const env = { ...process.env };
    Object.assign(process.env, testS3Env());
    try {
      const res = await importCli([
        ...args().slice(0, 4),
        '--database',
        db.url,
        '--storage',
        `s3://${bucket.bucket}/ngshare`,
        '--s3-endpoint',
        s3.endpoint!,
        '--s3-force-path-style',
        '--log-level',
        'silent'
      ]);
      expect(res).toMatchObject({ code: 0, err: '' });
      expect(res.out).toMatch(/4 submissions, (\d+) files; \1 files verified by MD5/);
      const blobs = new S3BlobStorage(
        createS3Client(s3),
        { bucket: bucket.bucket, prefix: 'ngshare/' },
        work
      );
      const knex = createKnex(parseDatabaseUrl(db.url));
      try {
        const rows = await knex('blobs').select('sha256');
        expect(rows.length).toBeGreaterThan(0);
        expect((await storedHashes(blobs)).sort()).toEqual(
          rows.map(r => r.sha256 as string).sort()
        );
      } finally {
        await knex.destroy();
      }
    } finally {
      process.env = env;
      await bucket.drop();
      await db.drop();
    }
  });

  it('refuses a source database that does not exist, creating nothing', async () => {
    const missing = path.join(work, 'nowhere', 'ngshare.db');
    const res = await importCli([
      '--from-database',
      `sqlite:///${missing}`,
      '--from-storage',
      src.storage,
      '--database',
      `sqlite:///${path.join(work, 'target.db')}`,
      '--storage',
      path.join(work, 'files')
    ]);
    expect(res.code).toBe(2);
    expect(res.err).toBe(`ngshare import: the source database ${missing} does not exist\n`);
    expect(existsSync(path.dirname(missing))).toBe(false);
    expect(existsSync(path.join(work, 'target.db'))).toBe(false);
  });

  it('refuses an unsupported database URL with a message', async () => {
    const res = await importCli([...args(), '--database', 'mysql://u:secret@db/ngshare']);
    expect(res.code).toBe(2);
    expect(res.err).toBe(
      'ngshare import: unsupported database URL "mysql://u:***@db/ngshare": ' +
        'expected sqlite:///… or postgresql://…\n'
    );
  });

  it('refuses to import a database into itself', async () => {
    const res = await importCli([...args(), '--database', `sqlite:///${src.dbFile}`]);
    expect(res).toMatchObject({
      code: 2,
      err: 'ngshare import: the source and target databases must differ\n'
    });
  });
});
