/** Migrations in order; a source in code so the compiled service needs no globbing. */
import type { Knex } from 'knex';
import * as initial from './20261125-initial-schema';
import * as deadlines from './20261204-deadlines';
import * as courseGroups from './20261207-course-groups';
import * as feedbackTimes from './20261207-feedback-times';
import * as history from './20261208-history';
import * as versions from './20261208-assignment-versions';
import * as historyByAction from './20261209-history-by-action';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const MIGRATIONS: Migration[] = [
  initial,
  deadlines,
  feedbackTimes,
  courseGroups,
  history,
  versions,
  historyByAction
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: migration => migration.name,
  getMigration: async migration => migration
};

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource,
  tableName: 'ngshare_migrations'
};

// Any constant works; it only has to be the same in every replica.
const PG_MIGRATION_LOCK = 0x6e677368; // "ngsh"

/**
 * Migrates to the newest schema. On PostgreSQL several replicas may start at
 * once: a session advisory lock makes them take turns, and the ones that come
 * later find nothing left to do.
 */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  if (knex.client.config.client !== 'pg') {
    return latest(knex);
  }
  const connection = await knex.client.acquireConnection();
  try {
    await knex.raw('SELECT pg_advisory_lock(?)', [PG_MIGRATION_LOCK]).connection(connection);
    try {
      return await latest(knex);
    } finally {
      await knex.raw('SELECT pg_advisory_unlock(?)', [PG_MIGRATION_LOCK]).connection(connection);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

async function latest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/** True when every known migration has been applied. */
export async function isSchemaCurrent(knex: Knex): Promise<boolean> {
  const [, pending] = (await knex.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length === 0;
}
