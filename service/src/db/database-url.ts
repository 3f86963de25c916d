/**
 * Turns ngshare's SQLAlchemy-style `--database` URLs into Knex connection
 * settings: `sqlite:///relative.db`, `sqlite:////absolute.db`,
 * `sqlite:///:memory:`, `postgresql://user:pw@host:5432/db` (driver suffixes
 * such as `postgresql+psycopg2://` are accepted and ignored).
 */
import path from 'node:path';

export type DatabaseTarget =
  { client: 'sqlite3'; filename: string } | { client: 'pg'; connectionString: string };

export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget {
  const sqlite = /^sqlite(?:\+[a-z0-9]+)?:\/\/(.*)$/i.exec(url);
  if (sqlite) {
    const rest = sqlite[1];
    if (rest === '' || rest === '/:memory:' || rest === '/') {
      return { client: 'sqlite3', filename: ':memory:' };
    }
    if (!rest.startsWith('/')) {
      throw new Error(
        `unsupported SQLite URL "${url}": use sqlite:///relative or sqlite:////absolute`
      );
    }
    const file = rest.slice(1);
    return { client: 'sqlite3', filename: path.isAbsolute(file) ? file : path.resolve(cwd, file) };
  }
  const pg = /^postgres(?:ql)?(?:\+[a-z0-9]+)?:\/\/(.*)$/i.exec(url);
  if (pg) {
    return { client: 'pg', connectionString: `postgresql://${pg[1]}` };
  }
  throw new Error(
    `unsupported database URL "${redactUrl(url)}": expected sqlite:///… or postgresql://…`
  );
}

/** Hides a password in a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
