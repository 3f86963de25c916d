/** Read-only connections (`ngshare import`'s source) refuse writes in the database itself. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, engines } from '../test-support/harness';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { createKnex, sqliteUri } from './knex-factory';

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
});
