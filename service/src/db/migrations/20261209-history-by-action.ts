/**
 * A student's lab asks, on every refresh, which version of each assignment they last fetched:
 * their fetch events and the course's releases. Without this index that reads every event of the
 * course; with it, just those rows.
 */
import type { Knex } from 'knex';

export const name = '20261209-history-by-action';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('history', t => {
    t.index(['course_id', 'action', 'actor'], 'history_course_action_actor');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('history', t => {
    t.dropIndex(['course_id', 'action', 'actor'], 'history_course_action_actor');
  });
}
