/**
 * `ngshare copy`: move a deployment of this service to another database and
 * storage, e.g. SQLite + a folder to PostgreSQL + S3 for several replicas.
 * Rows keep their keys; every file is read from the source, checked against
 * its SHA-256 and MD5, and stored before the row that names it, so a copy cut
 * off half-way is finished by running the same command again with --force.
 * The source is only read.
 */
import { Command } from 'commander';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { redactUrl } from '../db/database-url';
import { createKnex } from '../db/knex-factory';
import { isSchemaCurrent, migrateToLatest } from '../db/migrations';
import type { BlobStorage } from '../storage/blob-storage';
import { openBlobStorage } from '../storage/open-blob-storage';
import { primaryKey, TABLES, type TableName } from '../store/tables';
import { addS3Flags, s3SettingsOf } from '../config/s3-flags';
import { parseOptions, sourceAndTarget, type MoveOptions } from './source-and-target';

const BATCH = 500;

/** A row as the other engine takes it: SQLite keeps booleans as 0/1, PostgreSQL wants true/false. */
function portable(table: TableName, row: Record<string, unknown>): Record<string, unknown> {
  return table === 'deadlines' ? { ...row, hard: Boolean(row.hard) } : row;
}

export function buildCopyProgram(): Command {
  const program = new Command('ngshare copy')
    .description(
      'Copy a deployment of this service (database and stored files) to another database and ' +
        'storage, e.g. SQLite and a folder to PostgreSQL and S3. The source is only read; stop ' +
        'the service (or accept that later changes stay behind) while copying.'
    )
    .requiredOption(
      '--from-database <url>',
      'the current database, e.g. sqlite:////srv/ngshare/ngshare.db'
    )
    .requiredOption(
      '--from-storage <where>',
      'the current storage: a folder or s3://BUCKET[/PREFIX]'
    )
    .requiredOption('--database <url>', 'the new database, e.g. postgresql://…')
    .requiredOption('--storage <where>', 'the new storage: a folder or s3://BUCKET[/PREFIX]');
  return addS3Flags(program)
    .option('--force', 'copy into a non-empty target (finish an interrupted copy)', false)
    .configureHelp({ helpWidth: 100 })
    .allowExcessArguments(false);
}

export interface CopyReport {
  rows: Record<string, number>;
  /** objects written to the target storage (the others were there already) */
  filesCopied: number;
  filesVerified: number;
}

async function countRows(db: Knex, table: string): Promise<number> {
  const [{ n }] = await db(table).count<Array<{ n: number | string }>>({ n: '*' });
  return Number(n);
}

/** Stores one object in the target unless it is there, after checking its bytes. */
async function copyObject(
  row: { sha256: string; md5: string },
  from: BlobStorage,
  to: BlobStorage
): Promise<boolean> {
  const data = await from.read(row.sha256);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const md5 = createHash('md5').update(data).digest('hex');
  if (sha256 !== row.sha256 || md5 !== row.md5) {
    throw new Error(
      `the source file ${row.sha256} does not match its checksums (sha256 ${sha256}, md5 ${md5}): ` +
        'it was changed or damaged; nothing of it was copied'
    );
  }
  if (await to.has(row.sha256)) {
    return false;
  }
  const writer = await to.createWriter();
  await writer.write(data);
  const staged = await writer.finish(row.sha256);
  try {
    await staged.commit();
  } finally {
    await staged.discard();
  }
  return true;
}

export async function copyDeployment(
  source: Knex,
  target: Knex,
  from: BlobStorage,
  to: BlobStorage
): Promise<CopyReport> {
  const report: CopyReport = { rows: {}, filesCopied: 0, filesVerified: 0 };
  for (const table of TABLES) {
    const key = primaryKey(table);
    let last: string | number | undefined;
    report.rows[table] = 0;
    for (;;) {
      const query = source(table).orderBy(key).limit(BATCH);
      const rows: Array<Record<string, unknown>> = await (last === undefined
        ? query
        : query.where(key, '>', last));
      if (rows.length === 0) {
        break;
      }
      if (table === 'blobs') {
        for (const row of rows) {
          // the object first: a row in the target always names stored bytes
          if (await copyObject(row as { sha256: string; md5: string }, from, to)) {
            report.filesCopied++;
          }
          report.filesVerified++;
        }
      }
      await target(table)
        .insert(rows.map(row => portable(table, row)))
        .onConflict(key)
        .ignore();
      report.rows[table] += rows.length;
      last = rows[rows.length - 1][key] as string | number;
    }
  }
  if (target.client.config.client === 'pg') {
    // rows came with their keys: new rows must be numbered after them
    for (const table of TABLES.filter(t => primaryKey(t) === 'pk')) {
      await target.raw(
        `SELECT setval(pg_get_serial_sequence(?, 'pk'), COALESCE((SELECT MAX(pk) FROM ??), 0) + 1, false)`,
        [table, table]
      );
    }
  }
  return report;
}

export async function runCopy(argv: string[]): Promise<number> {
  const opts = parseOptions<MoveOptions>(buildCopyProgram(), argv);
  if (typeof opts === 'number') {
    return opts;
  }
  const fail = (message: string, code = 2): number => {
    process.stderr.write(`ngshare copy: ${message}\n`);
    return code;
  };
  const checked = sourceAndTarget(opts.fromDatabase, opts.database);
  if ('problem' in checked) {
    return fail(checked.problem);
  }
  if (opts.fromStorage === opts.storage) {
    return fail('the source and target storages must differ');
  }
  const { source, target } = checked;
  const s3 = s3SettingsOf(opts);
  const sourceDb = createKnex(source, { readOnly: true });
  const targetDb = createKnex(target);
  try {
    if (!(await isSchemaCurrent(sourceDb))) {
      return fail(
        `${redactUrl(opts.fromDatabase)} is not a current ngshare-ts database: start this ` +
          'version of the service on it once (it migrates), or use ngshare import for ngshare 0.6'
      );
    }
    const from = (await openBlobStorage(opts.fromStorage, s3)).blobs;
    const to = (await openBlobStorage(opts.storage, s3)).blobs;
    await migrateToLatest(targetDb);
    const existing = await countRows(targetDb, 'courses');
    if (existing > 0 && !opts.force) {
      return fail(
        `${redactUrl(opts.database)} already holds ${existing} course(s): pass --force to finish ` +
          'an interrupted copy into it (rows already there are kept)'
      );
    }
    const report = await copyDeployment(sourceDb, targetDb, from, to);
    const r = report.rows;
    process.stdout.write(
      `Copied ${redactUrl(opts.fromDatabase)} to ${redactUrl(opts.database)}: ${r.courses} ` +
        `courses, ${r.course_members} members, ${r.assignments} assignments, ${r.submissions} ` +
        `submissions, ${r.blobs} files (${report.filesCopied} written to ${opts.storage}); ` +
        `${report.filesVerified} files verified by SHA-256 and MD5.\n`
    );
    return 0;
  } catch (err) {
    return fail((err as Error).message, 1);
  } finally {
    await sourceDb.destroy();
    await targetDb.destroy();
  }
}
