/**
 * The admin page's read-only queries (services/admin-overview.ts shapes them): courses with their
 * members, assignments, submissions and the bytes they refer to; storage and table totals.
 * Reads only.
 */
import type { Knex } from 'knex';

export interface CourseMember {
  user: string;
  role: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

export interface CourseAssignment {
  id: string;
  submissions: number;
  students_submitted: number;
  bytes: number;
}

export interface CourseSubmission {
  assignment: string;
  student: string;
  timestamp: string;
  has_feedback: boolean;
}

export interface CourseOverview {
  id: string;
  instructors: number;
  students: number;
  assignments: CourseAssignment[];
  submissions: number;
  /** Newest submission timestamp (the exchange's only dated activity), or null. */
  last_activity: string | null;
  /** Bytes of the distinct files the course's assignments, submissions and feedback refer to. */
  bytes: number;
  members: CourseMember[];
  recent_submissions: CourseSubmission[];
}

const num = (v: unknown): number => Number(v ?? 0);

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) {
      list.push(row);
    } else {
      out.set(k, [row]);
    }
  }
  return out;
}
const RECENT_SUBMISSIONS = 20;

export class AdminQueries {
  constructor(private readonly knex: Knex) {}

  engine(): string {
    const client = String(this.knex.client.config.client ?? '');
    return /pg|postgres/.test(client) ? 'PostgreSQL' : 'SQLite';
  }

  async totals(): Promise<{
    courses: number;
    users: number;
    assignments: number;
    submissions: number;
  }> {
    const totals = { courses: 0, users: 0, assignments: 0, submissions: 0 };
    for (const table of ['courses', 'users', 'assignments', 'submissions'] as const) {
      const [row] = await this.knex(table).count({ n: '*' });
      totals[table] = num(row.n);
    }
    return totals;
  }

  async storage(): Promise<{ blobs: number; bytes: number; files: number }> {
    const { knex } = this;
    const [b] = await knex('blobs').count({ n: '*' }).sum({ bytes: 'size' });
    let files = 0;
    for (const table of ['assignment_files', 'submission_files', 'feedback_files']) {
      const [row] = await knex(table).count({ n: '*' });
      files += num(row.n);
    }
    return { blobs: num(b.n), bytes: num(b.bytes), files };
  }

  async courses(): Promise<CourseOverview[]> {
    const { knex } = this;
    const courses: Array<{ pk: number; id: string }> = await knex('courses')
      .select('pk', 'id')
      .orderBy('id');
    const members: Array<CourseMember & { course_pk: number }> = await knex('course_members')
      .select('course_pk', 'user_id as user', 'role', 'first_name', 'last_name', 'email')
      .orderBy(['course_pk', 'role', 'user_id']);
    const assignments: Array<{ pk: number; course_pk: number; id: string }> = await knex(
      'assignments'
    )
      .select('pk', 'course_pk', 'id')
      .orderBy(['course_pk', 'id']);
    const submissions: Array<{
      pk: number;
      assignment_pk: number;
      student_id: string;
      timestamp: string;
    }> = await knex('submissions')
      .select('pk', 'assignment_pk', 'student_id', 'timestamp')
      .orderBy('timestamp', 'desc');
    const withFeedback = new Set(
      (await knex('feedback_files').distinct('submission_pk')).map(r => num(r.submission_pk))
    );
    // distinct blobs per course: assignment files, then submission and feedback files
    const blobRows: Array<{ course_pk: number; sha256: string; size: unknown }> = [
      ...(await knex('assignment_files as f')
        .join('assignments as a', 'a.pk', 'f.assignment_pk')
        .join('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select('a.course_pk', 'b.sha256', 'b.size')),
      ...(await knex('submission_files as f')
        .join('submissions as s', 's.pk', 'f.submission_pk')
        .join('assignments as a', 'a.pk', 's.assignment_pk')
        .join('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select('a.course_pk', 'b.sha256', 'b.size')),
      ...(await knex('feedback_files as f')
        .join('submissions as s', 's.pk', 'f.submission_pk')
        .join('assignments as a', 'a.pk', 's.assignment_pk')
        .join('blobs as b', 'b.sha256', 'f.blob_sha256')
        .select('a.course_pk', 'b.sha256', 'b.size'))
    ];
    const courseBlobs = groupBy(blobRows, r => r.course_pk);
    const assignmentFiles: Array<{ assignment_pk: number; size: unknown }> = await knex(
      'assignment_files as f'
    )
      .join('blobs as b', 'b.sha256', 'f.blob_sha256')
      .select('f.assignment_pk', 'b.size');
    const assignmentBytes = new Map<number, number>();
    for (const r of assignmentFiles) {
      assignmentBytes.set(
        r.assignment_pk,
        (assignmentBytes.get(r.assignment_pk) ?? 0) + num(r.size)
      );
    }
    // grouped once, so the page stays linear in the size of the tables
    const membersOf = groupBy(members, m => m.course_pk);
    const assignmentsOf = groupBy(assignments, a => a.course_pk);
    const submissionsOf = groupBy(submissions, s => s.assignment_pk); // newest first
    const assignmentById = new Map(assignments.map(a => [a.pk, a]));
    return courses.map(course => {
      const own = assignmentsOf.get(course.pk) ?? [];
      const subs = own
        .flatMap(a => submissionsOf.get(a.pk) ?? [])
        .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0));
      const people = (membersOf.get(course.pk) ?? []).map(({ course_pk: _ignored, ...m }) => m);
      const distinct = new Map(
        (courseBlobs.get(course.pk) ?? []).map(r => [r.sha256, num(r.size)])
      );
      return {
        id: course.id,
        instructors: people.filter(m => m.role === 'instructor').length,
        students: people.filter(m => m.role === 'student').length,
        assignments: own.map(a => {
          const mine = submissionsOf.get(a.pk) ?? [];
          return {
            id: a.id,
            submissions: mine.length,
            students_submitted: new Set(mine.map(s => s.student_id)).size,
            bytes: assignmentBytes.get(a.pk) ?? 0
          };
        }),
        submissions: subs.length,
        last_activity: subs[0]?.timestamp ?? null,
        bytes: [...distinct.values()].reduce((a, b) => a + b, 0),
        members: people,
        recent_submissions: subs.slice(0, RECENT_SUBMISSIONS).map(s => ({
          assignment: assignmentById.get(s.assignment_pk)!.id,
          student: s.student_id,
          timestamp: s.timestamp,
          has_feedback: withFeedback.has(s.pk)
        }))
      };
    });
  }
}
