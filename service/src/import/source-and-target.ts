/** What `ngshare import` and `ngshare copy` share: option parsing and the checks of their two databases. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { S3Flags } from '../config/s3-flags';
import { parseDatabaseUrl, type DatabaseTarget } from '../db/database-url';

/** The options both commands take: where from, where to, and whether to add to a target. */
export interface MoveOptions extends S3Flags {
  fromDatabase: string;
  fromStorage: string;
  database: string;
  storage: string;
  force: boolean;
}

/** Both parsed, or the sentence that says what is wrong with them. */
export function sourceAndTarget(
  fromUrl: string,
  toUrl: string
): { source: DatabaseTarget; target: DatabaseTarget } | { problem: string } {
  let source: DatabaseTarget;
  let target: DatabaseTarget;
  try {
    source = parseDatabaseUrl(fromUrl);
    target = parseDatabaseUrl(toUrl);
  } catch (err) {
    return { problem: (err as Error).message };
  }
  if (JSON.stringify(source) === JSON.stringify(target)) {
    return { problem: 'the source and target databases must differ' };
  }
  if (source.client === 'sqlite3' && !existsSync(source.filename)) {
    return { problem: `the source database ${source.filename} does not exist` };
  }
  return { source, target };
}

/** A sub-command's options, or the exit code commander chose (help, a wrong flag). */
export function parseOptions<T>(program: Command, argv: string[]): T | number {
  program.exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode ?? 2;
  }
  return program.opts() as T;
}
