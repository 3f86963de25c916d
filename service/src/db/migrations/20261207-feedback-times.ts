/**
 * When each submission's feedback was last uploaded (issue 14, item 5), so a student can be
 * told that new feedback has arrived and fetch the latest without knowing a timestamp. NULL: no
 * feedback (never uploaded, or cleared with `[]`). Same canonical UTC form as the timestamps.
 * Feedback uploaded before this migration has none recorded: it counts as arrived at the
 * migration, which is when this service first could say.
 */
import type { Knex } from 'knex';
import { formatTimestamp } from '../../domain/timestamps';

export const name = '20261207-feedback-times';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submissions', t => {
    t.string('feedback_at', 26).nullable();
  });
  const now = formatTimestamp(BigInt(Date.now()) * 1000n);
  await knex('submissions')
    .whereExists(
      knex
        .select(1)
        .from('feedback_files')
        .whereRaw('feedback_files.submission_pk = submissions.pk')
    )
    .update({ feedback_at: now });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submissions', t => {
    t.dropColumn('feedback_at');
  });
}
