/**
 * Courses whose rosters follow JupyterHub groups (issue 14, item 4): nbgrader's convention is
 * `nbgrader-<course>` for students and `formgrade-<course>` for instructors. A NULL group is a
 * role kept by hand. `synced_at` and `last_changes` (JSON) describe the latest sync.
 */
import type { Knex } from 'knex';

export const name = '20261207-course-groups';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('course_groups', t => {
    t.increments('pk').primary();
    t.integer('course_pk').notNullable().unique().references('courses.pk').onDelete('CASCADE');
    t.text('student_group');
    t.text('instructor_group');
    t.string('synced_at', 26);
    t.text('last_changes');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('course_groups');
}
