/** Read-only connections (`ngshare import`'s source) refuse writes in the database itself. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, engines } from '../test-support/harness';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { createKnex, createReadKnex, SQLITE_READERS, sqliteUri } from './knex-factory';

describe.each(engines())('createKnex on %s', engine => {
  it('reads but never writes when readOnly', async () => {
    const db = await createTestDatabase(engine);
    // URI syntax in a SQLite file name must not change which file is opened
    const parsed = parseDatabaseUrl(db.url);
    const target: DatabaseTarget =
      parsed.client === 'sqlite3'
        ? { client: 'sqlite3', filename: path.join(path.dirname(parsed.filename), 'a?b#c%d.db') }
        : parsed;
    const table = 'ro_check';
    const rw = createKnex(target);
    const ro = createKnex(target, { readOnly: true });
    try {
      await rw.schema.createTable(table, t => t.integer('n'));
      await rw(table).insert({ n: 1 });
      await expect(ro(table).select('n')).resolves.toEqual([{ n: 1 }]);
      await expect(ro(table).insert({ n: 2 })).rejects.toThrow(
        engine === 'postgres' ? /read-only transaction/ : /readonly|read-only|query_only/i
      );
      await expect(ro.schema.createTable(`${table}_x`, t => t.integer('n'))).rejects.toThrow();
      await expect(rw(table).count({ c: '*' })).resolves.toEqual([
        { c: engine === 'postgres' ? '1' : 1 }
      ]);
    } finally {
      await ro.destroy();
      await rw.destroy();
      await db.drop();
    }
  });
});

describe('createKnex on SQLite', () => {
  it('switches its own database to WAL but leaves a read-only one in its journal mode', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-knex-'));
    const own = path.join(dir, 'own.db');
    const rw = createKnex({ client: 'sqlite3', filename: own });
    await rw.raw('CREATE TABLE t (n INTEGER)');
    await rw.destroy();
    expect(readFileSync(own)[18]).toBe(2); // header byte 18: 2 = WAL

    const theirs = path.join(dir, 'theirs.db');
    const plain = createKnex({ client: 'sqlite3', filename: theirs });
    await plain.raw('PRAGMA journal_mode = DELETE');
    await plain.raw('CREATE TABLE t (n INTEGER)');
    await plain.destroy();
    const ro = createKnex({ client: 'sqlite3', filename: theirs }, { readOnly: true });
    await expect(ro.raw('PRAGMA journal_mode')).resolves.toEqual([{ journal_mode: 'delete' }]);
    await ro.destroy();
    expect(readFileSync(theirs)[18]).toBe(1);
  });

  it('escapes URI syntax in file names', () => {
    expect(sqliteUri('/srv/a b/c?d#e%f.db', 'ro')).toBe('file:/srv/a%20b/c%3Fd%23e%25f.db?mode=ro');
  });

  it('reads beside an open write transaction through the reader pool, which refuses writes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ngshare-knex-'));
    const target: DatabaseTarget = { client: 'sqlite3', filename: path.join(dir, 'pool.db') };
    const rw = createKnex(target);
    await rw.raw('CREATE TABLE t (n INTEGER)');
    await rw('t').insert({ n: 1 });
    const readers = createReadKnex(target)!;
    try {
      let release!: () => void;
      const held = new Promise<void>(resolve => (release = resolve));
      let inserted!: () => void;
      const wrote = new Promise<void>(resolve => (inserted = resolve));
      const writing = rw.transaction(async trx => {
        await trx('t').insert({ n: 2 });
        inserted();
        await held; // the writer's only connection stays in this transaction
      });
      await wrote;
      // every reader answers while the writer is busy, and sees only what is committed
      const reads = await Promise.all(
        Array.from({ length: SQLITE_READERS * 2 }, () => readers('t').select('n').orderBy('n'))
      );
      for (const rows of reads) {
        expect(rows).toEqual([{ n: 1 }]);
      }
      release();
      await writing;
      await expect(readers('t').count({ c: '*' })).resolves.toEqual([{ c: 2 }]);
      await expect(readers('t').insert({ n: 3 })).rejects.toThrow(/readonly|read-only|query_only/i);
      await expect(rw('t').count({ c: '*' })).resolves.toEqual([{ c: 2 }]);
    } finally {
      await readers.destroy();
      await rw.destroy();
    }
  });

  it('opens no reader pool for PostgreSQL or an in-memory database', () => {
    expect(createReadKnex({ client: 'sqlite3', filename: ':memory:' })).toBeUndefined();
    expect(createReadKnex(parseDatabaseUrl('postgresql://u:p@127.0.0.1:5432/db'))).toBeUndefined();
  });
});
