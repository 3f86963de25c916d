/**
 * Feedback without a timestamp (issue 14, item 5, `<prefix>v2/feedback`): when each
 * assignment's newest feedback arrived, and the files of a student's newest submission that has
 * feedback. Replacing feedback moves its time; clearing it with `[]` removes it; the v1
 * timestamped route is unchanged; every refusal a clear 4xx.
 */
import { createKnex } from './db/knex-factory';
import { migrateToLatest, migrationConfig } from './db/migrations';
import { canonicalToMicros, formatTimestamp } from './domain/timestamps';
import {
  b64,
  client,
  expectError,
  expectOk,
  filesOf,
  seedCourse,
  type Client
} from './test-support/client';
import { engines, startTestService, type TestService } from './test-support/harness';
import { itConformsToOpenApi } from './test-support/openapi';

const CANONICAL = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/;

describe.each(engines())('latest feedback on %s', engine => {
  let svc: TestService;
  let api: Client;
  let firstTimestamp: string;
  beforeEach(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
    api = client(svc);
    firstTimestamp = (await seedCourse(api, 'c1')).timestamp;
  });
  afterEach(() => svc.close());

  const feedbackFor = (timestamp: string, html: string, user = 'stu') =>
    api.post(`/api/feedback/c1/a1/${user}`, 'ins', {
      timestamp,
      files: html === '' ? '[]' : filesOf([['a1.html', b64(html)]])
    });

  it('gives a student their newest feedback and when it arrived, without a timestamp', async () => {
    const before = BigInt(Date.now()) * 1000n;
    expectOk(await feedbackFor(firstTimestamp, '<p>better</p>'));
    const latest = expectOk(await api.get('/api/v2/feedback/c1/a1/stu', 'stu'));
    expect(latest.timestamp).toBe(firstTimestamp);
    expect(latest.feedback_at).toMatch(CANONICAL);
    expect(canonicalToMicros(latest.feedback_at)! >= before - 1_000_000n).toBe(true);
    expect(latest.files).toEqual([
      { path: 'a1.html', checksum: expect.any(String), content: expect.any(String) }
    ]);
    expect(Buffer.from(latest.files[0].content, 'base64').toString()).toBe('<p>better</p>');
    const listed = expectOk(
      await api.get('/api/v2/feedback/c1/a1/stu', 'stu', { list_only: 'true' })
    );
    expect(listed.files).toEqual([{ path: 'a1.html', checksum: latest.files[0].checksum }]);
  });

  it('follows the newest submission that has feedback, and moves when feedback is replaced', async () => {
    const second = expectOk(
      await api.post('/api/submission/c1/a1', 'stu', {
        files: filesOf([['a1.ipynb', b64('{"cells": [2]}')]])
      })
    ).timestamp as string;
    // the second submission has no feedback yet: the first one's is still the latest
    const stillFirst = expectOk(await api.get('/api/v2/feedback/c1/a1/stu', 'stu'));
    expect(stillFirst.timestamp).toBe(firstTimestamp);
    expectOk(await feedbackFor(second, '<p>second</p>'));
    const now = expectOk(await api.get('/api/v2/feedback/c1/a1/stu', 'ins'));
    expect(now.timestamp).toBe(second);
    expect(now.feedback_at > stillFirst.feedback_at).toBe(true);
    const overview = expectOk(await api.get('/api/v2/feedback/c1', 'stu'));
    expect(overview.feedback).toEqual([
      { assignment_id: 'a1', timestamp: second, feedback_at: now.feedback_at }
    ]);
    // cleared: back to the first submission's feedback
    expectOk(await feedbackFor(second, ''));
    expect(expectOk(await api.get('/api/v2/feedback/c1/a1/stu', 'stu')).timestamp).toBe(
      firstTimestamp
    );
  });

  it('says so when there is no feedback yet, and lists nothing', async () => {
    expectError(await api.get('/api/v2/feedback/c1/a1/stu2', 'stu2'), 404, 'No feedback yet');
    expect(expectOk(await api.get('/api/v2/feedback/c1', 'stu2')).feedback).toEqual([]);
    expectOk(await feedbackFor(firstTimestamp, ''));
    expectError(await api.get('/api/v2/feedback/c1/a1/stu', 'stu'), 404, 'No feedback yet');
    expect(expectOk(await api.get('/api/v2/feedback/c1', 'stu')).feedback).toEqual([]);
  });

  it('refuses others and bad names with clear 4xx answers', async () => {
    expectError(
      await api.get('/api/v2/feedback/c1/a1/stu', 'stu2'),
      403,
      'Permission denied (not course instructor)'
    );
    expectError(
      await api.get('/api/v2/feedback/c1', 'out'),
      403,
      'Permission denied (not related to course)'
    );
    expectError(await api.get('/api/v2/feedback/nope', 'stu'), 404, 'Course not found');
    expectError(await api.get('/api/v2/feedback/c1/nope/stu', 'stu'), 404, 'Assignment not found');
    expectError(await api.get('/api/v2/feedback/c1/a1/ghost', 'ins'), 404, 'Student not found');
  });

  it('leaves the v1 timestamped feedback route as it was', async () => {
    const v1 = expectOk(
      await api.get('/api/feedback/c1/a1/stu', 'stu', { timestamp: firstTimestamp })
    );
    expect(Object.keys(v1).sort()).toEqual(['files', 'success', 'timestamp']);
  });
});

itConformsToOpenApi();

describe('the feedback-times migration', () => {
  it('dates feedback uploaded before it to the migration, and leaves the rest without', async () => {
    const db = createKnex({ client: 'sqlite3', filename: ':memory:' });
    try {
      await db.migrate.up(migrationConfig); // initial schema
      await db.migrate.up(migrationConfig); // deadlines
      await db('users').insert([{ id: 'stu' }]);
      await db('courses').insert({ pk: 1, id: 'c1' });
      await db('assignments').insert({ pk: 1, course_pk: 1, id: 'a1' });
      await db('submissions').insert([
        { pk: 1, assignment_pk: 1, student_id: 'stu', timestamp: '2026-01-01 00:00:00.000000' },
        { pk: 2, assignment_pk: 1, student_id: 'stu', timestamp: '2026-01-02 00:00:00.000000' }
      ]);
      await db('blobs').insert({
        sha256: 'a'.repeat(64),
        md5: 'b'.repeat(32),
        size: 1,
        touched_at: 0
      });
      await db('feedback_files').insert({
        submission_pk: 1,
        path: 'f.html',
        blob_sha256: 'a'.repeat(64)
      });
      const before = formatTimestamp(BigInt(Date.now()) * 1000n);
      expect(await migrateToLatest(db)).toContain('20261207-feedback-times');
      const rows = await db('submissions').orderBy('pk').select('pk', 'feedback_at');
      expect(rows[0].feedback_at).toMatch(CANONICAL);
      expect(rows[0].feedback_at >= before).toBe(true);
      expect(rows[1].feedback_at).toBeNull();
    } finally {
      await db.destroy();
    }
  });
});
