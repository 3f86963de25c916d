/** `ngshare import`: copy an ngshare 0.6 deployment into this service's database and storage. */
import { Command } from 'commander';
import { redactUrl } from '../db/database-url';
import { createKnex } from '../db/knex-factory';
import { migrateToLatest } from '../db/migrations';
import { createLogger } from '../logging';
import { FileKeeper } from '../services/file-keeper';
import { openBlobStorage } from '../storage/open-blob-storage';
import { ExchangeStore } from '../store/exchange-store';
import { importNgshare06 } from './import-ngshare06';
import { Ngshare06Reader } from './ngshare06-reader';
import { addS3Flags, s3SettingsOf } from '../config/s3-flags';
import { parseOptions, sourceAndTarget, type MoveOptions } from './source-and-target';

interface ImportCliOptions extends MoveOptions {
  logLevel: string;
}

export function buildImportProgram(): Command {
  const program = new Command('ngshare import')
    .description(
      'Import every course, roster, assignment, submission and feedback file of an ngshare 0.6 ' +
        'deployment (its database and storage folder) into this service. The source is only read.'
    )
    .requiredOption(
      '--from-database <url>',
      'the ngshare 0.6 database, e.g. sqlite:////srv/ngshare/ngshare.db'
    )
    .requiredOption(
      '--from-storage <dir>',
      'the ngshare 0.6 storage folder, e.g. /srv/ngshare/files/'
    )
    .option('--database <url>', "this service's database URL", 'sqlite:////srv/ngshare/ngshare.db')
    .option(
      '--storage <where>',
      "this service's storage: a folder or s3://BUCKET[/PREFIX]",
      '/srv/ngshare/files/'
    );
  return addS3Flags(program)
    .option('--force', 'import into a non-empty target, adding only what is missing', false)
    .option('--log-level <level>', 'log level', 'info')
    .configureHelp({ helpWidth: 100 })
    .allowExcessArguments(false);
}

export async function runImport(argv: string[]): Promise<number> {
  const opts = parseOptions<ImportCliOptions>(buildImportProgram(), argv);
  if (typeof opts === 'number') {
    return opts;
  }
  const fail = (message: string): number => {
    process.stderr.write(`ngshare import: ${message}\n`);
    return 2;
  };
  const checked = sourceAndTarget(opts.fromDatabase, opts.database);
  if ('problem' in checked) {
    return fail(checked.problem);
  }
  const { source, target } = checked;
  const logger = createLogger(opts.logLevel);
  // read-only: the source may still be serving its users, and is never changed
  const sourceDb = createKnex(source, { readOnly: true });
  const targetDb = createKnex(target);
  try {
    await migrateToLatest(targetDb);
    const { blobs } = await openBlobStorage(opts.storage, s3SettingsOf(opts));
    const store = new ExchangeStore(targetDb);
    const report = await importNgshare06(
      new Ngshare06Reader(sourceDb, opts.fromStorage),
      store,
      new FileKeeper(blobs, logger, 0),
      blobs,
      { force: opts.force, logger }
    );
    process.stdout.write(
      `Imported from ${redactUrl(opts.fromDatabase)}: ${report.courses} courses, ` +
        `${report.instructors} instructors, ${report.students} students, ` +
        `${report.assignments} assignments, ${report.submissions} submissions, ` +
        `${report.files} files; ${report.verifiedFiles} files verified by MD5.\n`
    );
    for (const skipped of report.skipped) {
      process.stdout.write(`skipped: ${skipped}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`ngshare import: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await sourceDb.destroy();
    await targetDb.destroy();
  }
}
