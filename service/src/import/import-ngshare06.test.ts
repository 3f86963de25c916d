/**
 * Import from an ngshare 0.6 database laid out as alembic head 1921a169739b
 * creates it (reference §3), built here with SQL; the round trip against the
 * real original ngshare runs in test/.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { silentLogger } from '../logging';
import { FileKeeper } from '../services/file-keeper';
import { LocalBlobStorage } from '../storage/local-blob-storage';
import { ExchangeStore } from '../store/exchange-store';
import { engines, startTestService, type TestService } from '../test-support/harness';
import { importNgshare06 } from './import-ngshare06';
import { Ngshare06Reader } from './ngshare06-reader';

const SCHEMA = `
CREATE TABLE users (id TEXT NOT NULL, PRIMARY KEY (id));
CREATE TABLE courses (_id INTEGER NOT NULL, id TEXT, PRIMARY KEY (_id), UNIQUE (id));
CREATE TABLE files (_id INTEGER NOT NULL, filename TEXT, checksum TEXT, actual_name TEXT, size INTEGER, PRIMARY KEY (_id));
CREATE TABLE assignments (_id INTEGER NOT NULL, id TEXT, course_id INTEGER, due TIMESTAMP, PRIMARY KEY (_id), FOREIGN KEY(course_id) REFERENCES courses (_id));
CREATE TABLE instructor_assoc_table (left_id TEXT NOT NULL, right_id TEXT NOT NULL, first_name TEXT, last_name TEXT, email TEXT, PRIMARY KEY (left_id, right_id));
CREATE TABLE student_assoc_table (left_id TEXT NOT NULL, right_id TEXT NOT NULL, first_name TEXT, last_name TEXT, email TEXT, PRIMARY KEY (left_id, right_id));
CREATE TABLE submissions (_id INTEGER NOT NULL, assignment_id INTEGER, timestamp TIMESTAMP, student_id TEXT, PRIMARY KEY (_id));
CREATE TABLE assignment_files_assoc_table (left_id TEXT NOT NULL, right_id INTEGER NOT NULL, PRIMARY KEY (left_id, right_id));
CREATE TABLE submission_files_assoc_table (left_id TEXT NOT NULL, right_id INTEGER NOT NULL, PRIMARY KEY (left_id, right_id));
CREATE TABLE feedback_files_assoc_table (left_id TEXT NOT NULL, right_id INTEGER NOT NULL, PRIMARY KEY (left_id, right_id));
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, PRIMARY KEY (version_num));
INSERT INTO alembic_version VALUES ('1921a169739b');
`;

interface Source {
  db: Knex;
  storage: string;
  md5: Record<string, string>;
}

async function makeSource(): Promise<Source> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ngshare06-'));
  const storage = path.join(dir, 'files');
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename: path.join(dir, 'ngshare.db') },
    useNullAsDefault: true
  });
  for (const statement of SCHEMA.split(';').filter(s => s.trim())) {
    await db.raw(statement);
  }
  const md5: Record<string, string> = {};
  let fileId = 0;
  const file = async (link: string, owner: number, name: string, bytes: Buffer) => {
    fileId += 1;
    const actual = `${fileId.toString(16).padStart(8, '0')}-uuid.${path.extname(name).slice(1) || 'bin'}`;
    mkdirSync(storage, { recursive: true });
    writeFileSync(path.join(storage, actual), bytes);
    const checksum = createHash('md5').update(bytes).digest('hex');
    md5[`${link}:${owner}:${name}`] = checksum;
    await db('files').insert({
      _id: fileId,
      filename: name,
      checksum,
      actual_name: actual,
      size: bytes.length
    });
    await db(`${link}_files_assoc_table`).insert({ left_id: String(owner), right_id: fileId });
  };
  await db('users').insert(['kim', 'sam', 'ann', 'root'].map(id => ({ id })));
  await db('courses').insert([
    { _id: 1, id: 'c 1' },
    { _id: 2, id: 'c2' }
  ]);
  await db('instructor_assoc_table').insert({
    left_id: 'kim',
    right_id: 'c 1',
    first_name: 'Kim',
    last_name: 'K',
    email: 'k@x'
  });
  await db('student_assoc_table').insert([
    { left_id: 'sam', right_id: 'c 1', first_name: 'Sam', last_name: null, email: '' },
    { left_id: 'ann', right_id: 'c 1', first_name: null, last_name: null, email: null }
  ]);
  await db('assignments').insert([
    { _id: 1, id: 'ps1', course_id: 1 },
    { _id: 2, id: 'ps2', course_id: 2 }
  ]);
  await file('assignment', 1, 'ps1.ipynb', Buffer.from('{"cells": []}'));
  await file('assignment', 1, 'data/ü nested/x.bin', Buffer.from([0, 255, 1, 254]));
  await db('submissions').insert([
    { _id: 1, assignment_id: 1, timestamp: '2020-01-01 00:00:00.000000', student_id: 'sam' },
    { _id: 2, assignment_id: 1, timestamp: '2020-01-02 10:00:00.123456', student_id: 'sam' },
    { _id: 3, assignment_id: 1, timestamp: '2020-01-02 10:00:00.123456', student_id: 'sam' },
    // a removed student's submission stays
    { _id: 4, assignment_id: 1, timestamp: '2020-01-03 00:00:00.5', student_id: 'root' }
  ]);
  await file('submission', 1, 'ps1.ipynb', Buffer.from('v1'));
  await file('submission', 2, 'ps1.ipynb', Buffer.from('v2'));
  await file('submission', 3, 'ps1.ipynb', Buffer.from('v2'));
  await file('submission', 4, 'ps1.ipynb', Buffer.from(''));
  await file('feedback', 1, 'ps1.html', Buffer.from('<p>good</p>'));
  return { db, storage, md5 };
}

describe.each(engines())('import from ngshare 0.6 into %s', engine => {
  let svc: TestService;
  let src: Source;

  beforeAll(async () => {
    svc = await startTestService({ engine });
    src = await makeSource();
  });
  afterAll(async () => {
    await src.db.destroy();
    await svc.close();
  });

  const run = (force: boolean) => {
    const blobs = new LocalBlobStorage(svc.storageDir);
    return importNgshare06(
      new Ngshare06Reader(src.db, src.storage),
      new ExchangeStore(svc.knex),
      new FileKeeper(blobs, silentLogger(), 0),
      blobs,
      { force, logger: silentLogger() }
    );
  };

  it('imports everything and verifies it', async () => {
    const report = await run(false);
    expect(report).toMatchObject({
      courses: 2,
      instructors: 1,
      students: 2,
      assignments: 2,
      submissions: 4,
      files: 7,
      verifiedFiles: 7,
      skipped: []
    });
  });

  it('serves the imported data through the API, byte for byte', async () => {
    const courses = await svc.request.get('/api/courses').query({ user: 'kim' });
    expect(courses.body.courses).toEqual(['c 1']);
    const students = await svc.request.get('/api/students/c%201').query({ user: 'kim' });
    expect(students.body.students).toEqual([
      { username: 'sam', first_name: 'Sam', last_name: null, email: '' },
      { username: 'ann', first_name: null, last_name: null, email: null }
    ]);
    const release = await svc.request.get('/api/assignment/c%201/ps1').query({ user: 'sam' });
    expect(release.body.files.map((f: { path: string }) => f.path)).toEqual([
      'ps1.ipynb',
      'data/ü nested/x.bin'
    ]);
    expect(Buffer.from(release.body.files[1].content, 'base64')).toEqual(
      Buffer.from([0, 255, 1, 254])
    );
    const subs = await svc.request.get('/api/submissions/c%201/ps1').query({ user: 'kim' });
    expect(subs.body.submissions).toEqual([
      { student_id: 'sam', timestamp: '2020-01-01 00:00:00.000000' },
      { student_id: 'sam', timestamp: '2020-01-02 10:00:00.123456' },
      { student_id: 'sam', timestamp: '2020-01-02 10:00:00.123457' },
      { student_id: 'root', timestamp: '2020-01-03 00:00:00.500000' }
    ]);
    const feedback = await svc.request
      .get('/api/feedback/c%201/ps1/sam')
      .query({ user: 'sam', timestamp: '2020-01-01 00:00:00.000000' });
    expect(feedback.body.files).toEqual([
      {
        path: 'ps1.html',
        checksum: src.md5['feedback:1:ps1.html'],
        content: Buffer.from('<p>good</p>').toString('base64') + '\n'
      }
    ]);
    const latest = await svc.request.get('/api/submission/c%201/ps1/sam').query({ user: 'kim' });
    expect(latest.body.timestamp).toBe('2020-01-02 10:00:00.123457');
  });

  it('refuses a non-empty target without --force', async () => {
    await expect(run(false)).rejects.toThrow(/pass --force/);
  });

  it('is idempotent with --force', async () => {
    const before = await new ExchangeStore(svc.knex).countRows();
    const report = await run(true);
    expect(report).toMatchObject({
      courses: 0,
      students: 0,
      assignments: 0,
      submissions: 0,
      files: 0
    });
    expect(await new ExchangeStore(svc.knex).countRows()).toEqual(before);
  });

  it('stops on a file whose bytes do not match the checksum', async () => {
    const other = await startTestService({ engine });
    try {
      const row = await src.db('files').where({ _id: 1 }).first();
      writeFileSync(path.join(src.storage, row.actual_name), 'tampered');
      const blobs = new LocalBlobStorage(other.storageDir);
      await expect(
        importNgshare06(
          new Ngshare06Reader(src.db, src.storage),
          new ExchangeStore(other.knex),
          new FileKeeper(blobs, silentLogger(), 0),
          blobs,
          { force: false, logger: silentLogger() }
        )
      ).rejects.toThrow(/does not match its checksum/);
    } finally {
      await other.close();
    }
  });
});
