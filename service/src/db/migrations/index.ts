/** Migrations in order; a source in code so the compiled service needs no globbing. */
import type { Knex } from 'knex';
import * as initial from './20261125-initial-schema';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const MIGRATIONS: Migration[] = [initial];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: migration => migration.name,
  getMigration: async migration => migration
};

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource,
  tableName: 'ngshare_migrations'
};

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/** True when every known migration has been applied. */
export async function isSchemaCurrent(knex: Knex): Promise<boolean> {
  const [, pending] = (await knex.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length === 0;
}
