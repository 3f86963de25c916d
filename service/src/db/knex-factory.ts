/** Creates a Knex instance per dialect with the settings each needs. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knex, { Knex } from 'knex';
import type { DatabaseTarget } from './database-url';

export interface KnexOptions {
  /**
   * Open someone else's database only to read it (`ngshare import`'s source): nothing is created,
   * no journal mode is switched, and every write is refused by the database itself. The source
   * may be live, so SQLite waits for its writer instead of failing at once.
   */
  readOnly?: boolean;
  /**
   * PostgreSQL: longest wait for a pooled connection, a new connection or one statement (also
   * enforced by the client, so a frozen server cannot hold requests). Default 30 s.
   */
  timeoutMs?: number;
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;

export function createKnex(target: DatabaseTarget, options: KnexOptions = {}): Knex {
  if (target.client === 'sqlite3') {
    return options.readOnly ? sqliteReadOnly(target.filename) : sqliteReadWrite(target.filename);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  return knex({
    client: 'pg',
    connection: {
      connectionString: target.connectionString,
      connectionTimeoutMillis: timeoutMs,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 1000, // client side: the server may be unable to say
      // the server refuses any write in these sessions
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {})
    },
    acquireConnectionTimeout: timeoutMs,
    pool: { min: 0, max: 10 }
  });
}

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any --
   Knex's dialect classes have no type declarations; these two subclasses touch one method each */
type TransactionClass = new (...args: any[]) => { query(conn: unknown, sql: string): unknown };
const SqliteTransaction: TransactionClass = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction');
const SqliteClient: new (...args: any[]) => object = require('knex/lib/dialects/sqlite3');

/**
 * Transactions that take SQLite's write lock when they begin (BEGIN IMMEDIATE). Several
 * processes may write one file (`--workers`, replicas on one host, `ngshare copy` beside a live
 * service); a deferred transaction that reads and then writes after another process committed
 * fails at once with SQLITE_BUSY, which busy_timeout cannot wait out. Taking the lock up front
 * makes each transaction wait its turn instead. Reads outside transactions are never blocked
 * (WAL).
 */
class ImmediateTransaction extends SqliteTransaction {
  begin(conn: unknown): unknown {
    return this.query(conn, 'BEGIN IMMEDIATE;');
  }
}

class ImmediateSqliteClientImpl extends SqliteClient {
  transaction(...args: unknown[]): unknown {
    return new ImmediateTransaction(this, ...args);
  }
}
const ImmediateSqliteClient = ImmediateSqliteClientImpl as unknown as typeof Knex.Client;
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** Connections in the SQLite reader pool: enough to keep both cores and the disk busy. */
export const SQLITE_READERS = 4;

/**
 * Readers beside the one writer of a SQLite file: WAL lets reads run while a write transaction
 * holds the writer, and each connection runs its statements on its own libuv thread. Each is
 * `query_only`, so a write sent here by mistake fails instead of racing the writer. None for
 * PostgreSQL (its pool already runs queries side by side) or an in-memory database (another
 * connection would open another, empty, database). Open it after migrations.
 */
export function createReadKnex(target: DatabaseTarget): Knex | undefined {
  if (target.client !== 'sqlite3' || target.filename === ':memory:') {
    return undefined;
  }
  return sqliteKnex(
    'sqlite3',
    { filename: target.filename },
    [`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, 'PRAGMA query_only = ON'],
    SQLITE_READERS
  );
}

function sqliteReadWrite(filename: string): Knex {
  if (filename !== ':memory:') {
    mkdirSync(path.dirname(filename), { recursive: true });
  }
  // busy_timeout first: switching to WAL needs a lock another process may hold
  return sqliteKnex(ImmediateSqliteClient, { filename }, [
    `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
    'PRAGMA journal_mode = WAL',
    // FULL: a commit is on disk before it is acknowledged, as the stored files are (fsync).
    // NGSHARE_BENCH_SQLITE_SYNCHRONOUS=NORMAL exists only so the load benchmark can price it.
    `PRAGMA synchronous = ${process.env.NGSHARE_BENCH_SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'}`,
    'PRAGMA foreign_keys = ON'
  ]);
}

function sqliteReadOnly(filename: string): Knex {
  // mode=ro in a URI filename: SQLite opens the file read-only and never creates it
  return sqliteKnex('sqlite3', { filename: sqliteUri(filename, 'ro'), flags: ['OPEN_URI'] }, [
    `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
    'PRAGMA query_only = ON'
  ]);
}

/**
 * One connection unless told otherwise: SQLite has a single writer, and queueing in the pool is
 * cheaper and fairer than SQLITE_BUSY retries. `pragmas` run in order on each connection before
 * its first query.
 */
function sqliteKnex(
  client: 'sqlite3' | typeof Knex.Client,
  connection: Knex.Sqlite3ConnectionConfig,
  pragmas: string[],
  connections = 1
): Knex {
  return knex({
    client,
    connection,
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: connections,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null) => void) => {
        // serialized: they run in order, and the last callback comes after all of them
        let first: Error | null = null;
        conn.serialize(() => {
          pragmas.forEach((sql, i) =>
            conn.run(sql, (err: Error | null) => {
              first = first ?? err;
              if (i === pragmas.length - 1) {
                done(first);
              }
            })
          );
        });
      }
    }
  });
}

/** `file:` URI of a path, with the characters SQLite reads as URI syntax escaped. */
export function sqliteUri(filename: string, mode: 'ro' | 'rw'): string {
  const escaped = encodeURI(filename).replace(/\?/g, '%3F').replace(/#/g, '%23');
  return `file:${escaped}?mode=${mode}`;
}

interface SqliteConnection {
  serialize(fn: () => void): void;
  run(sql: string, cb?: (err: Error | null) => void): void;
}
