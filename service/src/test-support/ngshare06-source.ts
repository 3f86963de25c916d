/**
 * An ngshare 0.6 deployment in a temporary folder: its database laid out as alembic head
 * 1921a169739b creates it on SQLite (reference §3), built with SQL, and its flat storage folder.
 * ngshare 0.6 itself cannot create that schema on PostgreSQL (its link tables declare TEXT foreign
 * keys to INTEGER ids, which PostgreSQL refuses); the same tables without those constraints stand
 * in for a PostgreSQL deployment whose schema was fixed by hand.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { createTestDatabase, type Engine } from './harness';

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

export interface Ngshare06Source {
  dir: string;
  /** the database URL as `ngshare import --from-database` takes it */
  url: string;
  /** the SQLite file (SQLite only) */
  dbFile: string;
  db: Knex;
  storage: string;
  md5: Record<string, string>;
  /** closes the connection and removes the database and files */
  drop(): Promise<void>;
}

export async function makeNgshare06Source(engine: Engine = 'sqlite'): Promise<Ngshare06Source> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ngshare06-'));
  const storage = path.join(dir, 'files');
  const dbFile = path.join(dir, 'ngshare.db');
  const pg = engine === 'postgres' ? await createTestDatabase('postgres') : undefined;
  const url = pg?.url ?? `sqlite:///${dbFile}`;
  const db = pg
    ? knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 2 } })
    : knexFactory({ client: 'sqlite3', connection: { filename: dbFile }, useNullAsDefault: true });
  const drop = async (): Promise<void> => {
    await db.destroy();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
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
  return { dir, url, dbFile, db, storage, md5, drop };
}
