/**
 * A course's history (issue 14, item 3): one row per release, unrelease, fetch, submission,
 * collection, feedback upload or fetch, deadline change and roster change — who, what, when,
 * sizes, checksums. Rows name the course and assignment by id, not by key, so the record
 * outlives an unreleased assignment (that is when it is wanted most). Append-only.
 */
import type { Knex } from 'knex';

export const name = '20261208-history';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('history', t => {
    t.increments('pk').primary();
    t.text('course_id').notNullable();
    t.string('at', 26).notNullable();
    t.text('actor').notNullable();
    t.string('action', 32).notNullable();
    t.text('assignment_id');
    t.text('student_id');
    t.string('timestamp', 26); // the submission an event concerns
    t.integer('files');
    t.bigInteger('bytes');
    t.string('checksum', 64);
    t.text('detail'); // JSON: what else the action says (a role, a due date, a group)
    t.index(['course_id', 'pk']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('history');
}
