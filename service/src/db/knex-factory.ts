/** Creates a Knex instance per dialect with the settings each needs. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knex, { Knex } from 'knex';
import type { DatabaseTarget } from './database-url';

export function createKnex(target: DatabaseTarget): Knex {
  if (target.client === 'sqlite3') {
    if (target.filename !== ':memory:') {
      mkdirSync(path.dirname(target.filename), { recursive: true });
    }
    return knex({
      client: 'sqlite3',
      connection: { filename: target.filename },
      useNullAsDefault: true,
      // One connection: SQLite has a single writer, and queueing in the pool is
      // cheaper and fairer than SQLITE_BUSY retries.
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: SqliteConnection, done: (err: Error | null) => void) => {
          conn.serialize(() => {
            conn.run('PRAGMA journal_mode = WAL');
            conn.run('PRAGMA synchronous = NORMAL');
            conn.run('PRAGMA foreign_keys = ON');
            conn.run('PRAGMA busy_timeout = 5000', (err: Error | null) => done(err));
          });
        }
      }
    });
  }
  return knex({
    client: 'pg',
    connection: { connectionString: target.connectionString },
    pool: { min: 0, max: 10 }
  });
}

interface SqliteConnection {
  serialize(fn: () => void): void;
  run(sql: string, cb?: (err: Error | null) => void): void;
}
