/**
 * Deadlines and per-student extensions (issue 14). Keyed by course and
 * assignment id rather than by the assignments row, so an instructor can set
 * a deadline before releasing and it survives ngshare's destructive
 * re-release (DELETE, then POST). Times are UTC in ngshare's canonical
 * `YYYY-MM-DD HH:MM:SS.ffffff` form, which compares like the submissions'
 * timestamps.
 */
import type { Knex } from 'knex';

export const name = '20261204-deadlines';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deadlines', t => {
    t.increments('pk').primary();
    t.integer('course_pk').notNullable().references('courses.pk').onDelete('CASCADE');
    t.text('assignment_id').notNullable();
    t.string('due_at', 26).notNullable();
    t.boolean('hard').notNullable().defaultTo(false);
    t.text('set_by').notNullable();
    t.unique(['course_pk', 'assignment_id']);
  });
  await knex.schema.createTable('deadline_extensions', t => {
    t.increments('pk').primary();
    t.integer('course_pk').notNullable().references('courses.pk').onDelete('CASCADE');
    t.text('assignment_id').notNullable();
    t.text('student_id').notNullable();
    t.string('due_at', 26).notNullable();
    t.text('set_by').notNullable();
    t.unique(['course_pk', 'assignment_id', 'student_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('deadline_extensions');
  await knex.schema.dropTable('deadlines');
}
