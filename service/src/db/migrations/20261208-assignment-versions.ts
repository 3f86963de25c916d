/**
 * Versions of a released assignment (issue 14, item 2): an instructor publishes a new set of
 * files without unreleasing, so submissions and feedback stay. `assignment_files` keeps holding
 * the current files (what a v1 fetch answers); each published version's files are kept here.
 * An assignment without rows has one implicit version, 1: its files. The first new version
 * writes version 1's row and files, so releases cost nothing extra. `submissions.version`: the
 * version that was current when the submission arrived (NULL before this migration: 1).
 */
import type { Knex } from 'knex';

export const name = '20261208-assignment-versions';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('assignment_versions', t => {
    t.increments('pk').primary();
    t.integer('assignment_pk').notNullable().references('assignments.pk').onDelete('CASCADE');
    t.integer('number').notNullable();
    t.string('released_at', 26); // NULL for version 1 when it was released before versions
    t.text('released_by');
    t.unique(['assignment_pk', 'number']);
  });
  await knex.schema.createTable('version_files', t => {
    t.increments('pk').primary();
    t.integer('version_pk').notNullable().references('assignment_versions.pk').onDelete('CASCADE');
    t.text('path').notNullable();
    t.string('blob_sha256', 64).notNullable().references('blobs.sha256');
    t.index(['version_pk']);
    t.index(['blob_sha256']);
  });
  await knex.schema.alterTable('submissions', t => {
    t.integer('version').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submissions', t => {
    t.dropColumn('version');
  });
  await knex.schema.dropTable('version_files');
  await knex.schema.dropTable('assignment_versions');
}
