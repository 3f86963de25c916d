/**
 * The initial schema. Differences from ngshare 0.6's tables are deliberate:
 * unique (course, assignment) and (assignment, student, timestamp), one
 * membership table whose unique key makes "instructor and student of the same
 * course" impossible, and file contents addressed by hash in `blobs`.
 */
import type { Knex } from 'knex';

export const name = '20261125-initial-schema';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', t => {
    t.text('id').primary();
  });
  await knex.schema.createTable('courses', t => {
    t.increments('pk').primary();
    t.text('id').notNullable().unique();
  });
  await knex.schema.createTable('course_members', t => {
    t.increments('pk').primary();
    t.integer('course_pk').notNullable().references('courses.pk').onDelete('CASCADE');
    t.text('user_id').notNullable().references('users.id');
    t.text('role').notNullable(); // 'instructor' | 'student'
    t.text('first_name');
    t.text('last_name');
    t.text('email');
    t.unique(['course_pk', 'user_id']);
    t.index(['user_id']);
  });
  await knex.schema.createTable('assignments', t => {
    t.increments('pk').primary();
    t.integer('course_pk').notNullable().references('courses.pk').onDelete('CASCADE');
    t.text('id').notNullable();
    t.unique(['course_pk', 'id']);
  });
  await knex.schema.createTable('submissions', t => {
    t.increments('pk').primary();
    t.integer('assignment_pk').notNullable().references('assignments.pk').onDelete('CASCADE');
    t.text('student_id').notNullable().references('users.id');
    t.string('timestamp', 26).notNullable();
    t.unique(['assignment_pk', 'student_id', 'timestamp']);
  });
  await knex.schema.createTable('blobs', t => {
    t.string('sha256', 64).primary();
    t.string('md5', 32).notNullable();
    t.bigInteger('size').notNullable();
    // Milliseconds since the epoch of the last upload that referenced it; the
    // garbage collector leaves recently touched blobs alone.
    t.bigInteger('touched_at').notNullable();
  });
  for (const [table, owner, ownerTable] of FILE_TABLES) {
    await knex.schema.createTable(table, t => {
      t.increments('pk').primary();
      t.integer(owner).notNullable().references(`${ownerTable}.pk`).onDelete('CASCADE');
      t.text('path').notNullable();
      t.string('blob_sha256', 64).notNullable().references('blobs.sha256');
      t.index([owner]);
      t.index(['blob_sha256']);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of [...FILE_TABLES].reverse()) {
    await knex.schema.dropTable(table);
  }
  for (const table of [
    'blobs',
    'submissions',
    'assignments',
    'course_members',
    'courses',
    'users'
  ]) {
    await knex.schema.dropTable(table);
  }
}

const FILE_TABLES: ReadonlyArray<[string, string, string]> = [
  ['assignment_files', 'assignment_pk', 'assignments'],
  ['submission_files', 'submission_pk', 'submissions'],
  ['feedback_files', 'submission_pk', 'submissions']
];
