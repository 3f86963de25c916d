/**
 * The only module that speaks SQL. Each method is one query or a small
 * fixed number of them (no per-row loops in list paths). A store bound to a
 * transaction is obtained through `transaction()`.
 */
import type { Knex } from 'knex';
import type { HistoryAction, HistoryEvent } from '../domain/history';
import { UniqueViolation } from '../errors';
import { primaryKey, TABLES } from './tables';
import type {
  AssignmentRow,
  CourseGroupsRow,
  CourseRow,
  DeadlineRow,
  ExtensionRow,
  FileOwner,
  HistoryFilter,
  HistoryRow,
  MemberRow,
  NewFile,
  Role,
  StoredFile,
  SubmissionRow,
  VersionRow
} from './types';

const FILE_TABLE: Record<FileOwner['kind'], { table: string; owner: string }> = {
  assignment: { table: 'assignment_files', owner: 'assignment_pk' },
  submission: { table: 'submission_files', owner: 'submission_pk' },
  feedback: { table: 'feedback_files', owner: 'submission_pk' },
  version: { table: 'version_files', owner: 'version_pk' }
};

/** A `history` row as the store answers it (numbers and JSON decoded). */
function historyRow(r: Record<string, unknown>): Required<HistoryRow> {
  return {
    id: Number(r.pk),
    course_id: r.course_id as string,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as HistoryAction,
    assignment_id: (r.assignment_id as string | null) ?? null,
    student_id: (r.student_id as string | null) ?? null,
    timestamp: (r.timestamp as string | null) ?? null,
    files: r.files === null ? null : Number(r.files),
    bytes: r.bytes === null ? null : Number(r.bytes),
    checksum: (r.checksum as string | null) ?? null,
    detail: r.detail ? (JSON.parse(r.detail as string) as Record<string, unknown>) : null
  };
}

export class ExchangeStore {
  /**
   * `db` answers reads, `w` takes writes and transactions: on a SQLite file they are the reader
   * pool and the one writer (knex-factory.ts), elsewhere, and inside a transaction, the same.
   */
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly w: Knex | Knex.Transaction = db
  ) {}

  /** Runs `fn` in one transaction; the store it receives is bound to it. */
  async transaction<T>(fn: (store: ExchangeStore) => Promise<T>): Promise<T> {
    return (this.w as Knex).transaction(trx => fn(new ExchangeStore(trx)));
  }

  // ---- row locks (PostgreSQL; SQLite has one writer anyway) -----------------

  private get locks(): boolean {
    return (this.db as Knex).client.config.client === 'pg';
  }

  /**
   * Inside a transaction: locks a row until commit and tells whether it still
   * exists (it may have been deleted since it was looked up). `update`
   * serialises writers of that row (membership changes of a course, feedback
   * of a submission); `share` only keeps it from being deleted meanwhile (a
   * release into a course, a submission to an assignment), so such writers
   * still run side by side.
   */
  async lockRow(
    table: 'courses' | 'assignments' | 'submissions',
    pk: number,
    mode: 'update' | 'share'
  ): Promise<boolean> {
    const query = this.w(table).where({ pk }).first('pk');
    if (this.locks) {
      void (mode === 'update' ? query.forUpdate() : query.forShare());
    }
    return (await query) !== undefined;
  }

  // ---- users ---------------------------------------------------------------

  async ensureUsers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    const rows = [...new Set(ids)].map(id => ({ id }));
    // Batches: SQLite's multi-row insert is a compound SELECT, limited to 500 terms.
    for (let i = 0; i < rows.length; i += 200) {
      await this.w('users')
        .insert(rows.slice(i, i + 200))
        .onConflict('id')
        .ignore();
    }
  }

  // ---- courses -------------------------------------------------------------

  async findCourse(id: string): Promise<CourseRow | undefined> {
    return this.db<CourseRow>('courses').select('pk', 'id').where({ id }).first();
  }

  /** The course and `userId`'s membership of it (if any), in one query. */
  async findCourseWithMember(
    id: string,
    userId: string
  ): Promise<{ course: CourseRow; member?: MemberRow } | undefined> {
    const row = await this.db('courses as c')
      .leftJoin('course_members as m', join =>
        join.on('m.course_pk', 'c.pk').andOnVal('m.user_id', userId)
      )
      .where('c.id', id)
      .first('c.pk', 'c.id', ...JOINED_MEMBER);
    if (!row) {
      return undefined;
    }
    const course: CourseRow = { pk: row.pk, id: row.id };
    return { course, member: joinedMember(row, userId) };
  }

  /**
   * The course, `userId`'s membership of it, and its assignment ids in release order, in one
   * query: what every student panel and `nbgrader list` ask most.
   */
  async findCourseAssignments(
    id: string,
    userId: string
  ): Promise<{ course: CourseRow; member?: MemberRow; assignmentIds: string[] } | undefined> {
    const rows = await this.db('courses as c')
      .leftJoin('course_members as m', join =>
        join.on('m.course_pk', 'c.pk').andOnVal('m.user_id', userId)
      )
      .leftJoin('assignments as a', 'a.course_pk', 'c.pk')
      .where('c.id', id)
      .orderBy('a.pk')
      .select('c.pk', 'c.id', ...JOINED_MEMBER, 'a.id as assignment_id');
    if (rows.length === 0) {
      return undefined;
    }
    const [first] = rows;
    return {
      course: { pk: first.pk, id: first.id },
      member: joinedMember(first, userId),
      assignmentIds: rows
        .filter((r: { assignment_id: string | null }) => r.assignment_id !== null)
        .map((r: { assignment_id: string }) => r.assignment_id)
    };
  }

  async allCourseIds(): Promise<string[]> {
    const rows = await this.db('courses').select('id');
    return rows.map((r: { id: string }) => r.id);
  }

  async courseIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db('courses')
      .join('course_members', 'course_members.course_pk', 'courses.pk')
      .where('course_members.user_id', userId)
      .select('courses.id');
    return rows.map((r: { id: string }) => r.id);
  }

  async createCourse(id: string): Promise<CourseRow> {
    try {
      const [row] = await this.w('courses').insert({ id }).returning(['pk', 'id']);
      return row as CourseRow;
    } catch (err) {
      throw asUniqueViolation(err, 'courses.id');
    }
  }

  async deleteCourse(pk: number): Promise<void> {
    await this.w('courses').where({ pk }).delete();
  }

  // ---- membership ----------------------------------------------------------

  async findMember(coursePk: number, userId: string): Promise<MemberRow | undefined> {
    return this.db('course_members')
      .where({ course_pk: coursePk, user_id: userId })
      .first('user_id as username', 'role', 'first_name', 'last_name', 'email');
  }

  async listMembers(coursePk: number, role: Role): Promise<MemberRow[]> {
    return this.db('course_members')
      .where({ course_pk: coursePk, role })
      .orderBy('pk')
      .select('user_id as username', 'role', 'first_name', 'last_name', 'email');
  }

  /** Adds a member with this role (appended to the list order) and names. */
  async addMember(
    coursePk: number,
    userId: string,
    role: Role,
    names: Partial<Pick<MemberRow, 'first_name' | 'last_name' | 'email'>> = {}
  ): Promise<void> {
    await this.w('course_members').insert({
      course_pk: coursePk,
      user_id: userId,
      role,
      first_name: names.first_name ?? null,
      last_name: names.last_name ?? null,
      email: names.email ?? null
    });
  }

  async updateMemberNames(
    coursePk: number,
    userId: string,
    names: Pick<MemberRow, 'first_name' | 'last_name' | 'email'>
  ): Promise<void> {
    await this.w('course_members').where({ course_pk: coursePk, user_id: userId }).update(names);
  }

  async removeMember(coursePk: number, userId: string): Promise<void> {
    await this.w('course_members').where({ course_pk: coursePk, user_id: userId }).delete();
  }

  /** Membership rows for many users of one course, in one query. */
  async membersByUser(coursePk: number, userIds: readonly string[]): Promise<Map<string, Role>> {
    const result = new Map<string, Role>();
    const unique = [...new Set(userIds)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows: Array<{ user_id: string; role: Role }> = await this.db('course_members')
        .where('course_pk', coursePk)
        .whereIn('user_id', unique.slice(i, i + 500))
        .select('user_id', 'role');
      for (const row of rows) {
        result.set(row.user_id, row.role);
      }
    }
    return result;
  }

  // ---- assignments ---------------------------------------------------------

  async findAssignment(coursePk: number, id: string): Promise<AssignmentRow | undefined> {
    return this.db<AssignmentRow>('assignments')
      .where({ course_pk: coursePk, id })
      .first('pk', 'id', 'course_pk');
  }

  async assignmentIds(coursePk: number): Promise<string[]> {
    const rows = await this.db('assignments')
      .where({ course_pk: coursePk })
      .orderBy('pk')
      .select('id');
    return rows.map((r: { id: string }) => r.id);
  }

  async createAssignment(coursePk: number, id: string): Promise<AssignmentRow> {
    try {
      const [row] = await this.w('assignments')
        .insert({ course_pk: coursePk, id })
        .returning(['pk', 'id', 'course_pk']);
      return row as AssignmentRow;
    } catch (err) {
      throw asUniqueViolation(err, 'assignments.course_pk_id');
    }
  }

  async deleteAssignment(pk: number): Promise<void> {
    await this.w('assignments').where({ pk }).delete();
  }

  // ---- submissions ---------------------------------------------------------

  async listSubmissions(assignmentPk: number, studentId?: string): Promise<SubmissionRow[]> {
    const query = this.db('submissions').where({ assignment_pk: assignmentPk });
    if (studentId !== undefined) {
      query.andWhere({ student_id: studentId });
    }
    return query.orderBy('pk').select('pk', 'student_id', 'timestamp');
  }

  async latestSubmission(
    assignmentPk: number,
    studentId: string
  ): Promise<SubmissionRow | undefined> {
    return this.db('submissions')
      .where({ assignment_pk: assignmentPk, student_id: studentId })
      .orderBy('timestamp', 'desc')
      .first('pk', 'student_id', 'timestamp');
  }

  /**
   * What a new submission needs, in one statement of its transaction (each statement waits for
   * the event loop while SQLite's one writer is held): the assignment row, locked shared on
   * PostgreSQL against an unrelease; the student's latest submission timestamp; the current
   * version. Undefined when the assignment is gone.
   */
  async submissionStart(
    assignmentPk: number,
    studentId: string
  ): Promise<{ latest: string | undefined; version: number } | undefined> {
    const latest = this.w('submissions')
      .where({ assignment_pk: assignmentPk, student_id: studentId })
      .orderBy('timestamp', 'desc')
      .limit(1)
      .select('timestamp')
      .as('latest');
    const version = this.w('assignment_versions')
      .where({ assignment_pk: assignmentPk })
      .max('number')
      .as('version');
    const query = this.w('assignments').where({ pk: assignmentPk }).first('pk', latest, version);
    if (this.locks) {
      void query.forShare();
    }
    const row: { latest: string | null; version: number | string | null } | undefined = await query;
    if (!row) {
      return undefined;
    }
    return {
      latest: row.latest ?? undefined,
      version: row.version === null ? 1 : Number(row.version)
    };
  }

  /** Records when a submission's feedback was replaced (`null`: it has none now). */
  /** Sets when feedback last arrived; false when the submission is gone. Locks its row. */
  async setFeedbackTime(submissionPk: number, at: string | null): Promise<boolean> {
    const count = await this.w('submissions')
      .where({ pk: submissionPk })
      .update({ feedback_at: at });
    return count > 0;
  }

  /** The newest submission of a student's that has feedback. */
  async latestWithFeedback(
    assignmentPk: number,
    studentId: string
  ): Promise<(SubmissionRow & { feedback_at: string }) | undefined> {
    return this.db('submissions')
      .where({ assignment_pk: assignmentPk, student_id: studentId })
      .whereNotNull('feedback_at')
      .orderBy('timestamp', 'desc')
      .first('pk', 'student_id', 'timestamp', 'feedback_at');
  }

  /** Per assignment of a course, a student's newest submission with feedback, in one query. */
  async feedbackOverview(
    coursePk: number,
    studentId: string
  ): Promise<Array<{ assignment_id: string; timestamp: string; feedback_at: string }>> {
    const rows: Array<{ assignment_id: string; timestamp: string; feedback_at: string }> =
      await this.db('submissions as s')
        .join('assignments as a', 'a.pk', 's.assignment_pk')
        .where({ 'a.course_pk': coursePk, 's.student_id': studentId })
        .whereNotNull('s.feedback_at')
        .orderBy([{ column: 'a.id' }, { column: 's.timestamp', order: 'desc' }])
        .select('a.id as assignment_id', 's.timestamp', 's.feedback_at');
    // newest submission first within each assignment: keep the first of each
    return rows.filter((r, i) => i === 0 || rows[i - 1].assignment_id !== r.assignment_id);
  }

  /**
   * In one query: the assignment `assignmentId` of the course, whether `studentId` is a member,
   * and (given a timestamp) that student's submission made then. Undefined: no such assignment.
   */
  async findSubmissionOf(
    coursePk: number,
    assignmentId: string,
    studentId: string,
    timestamp: string | undefined
  ): Promise<{ assignmentPk: number; member: boolean; submission?: SubmissionRow } | undefined> {
    const row = await this.db('assignments as a')
      .leftJoin('course_members as m', join =>
        join.on('m.course_pk', 'a.course_pk').andOnVal('m.user_id', studentId)
      )
      .modify(q => {
        if (timestamp !== undefined) {
          q.leftJoin('submissions as s', join =>
            join
              .on('s.assignment_pk', 'a.pk')
              .andOnVal('s.student_id', studentId)
              .andOnVal('s.timestamp', timestamp)
          ).select('s.pk as submission_pk', 's.timestamp as submission_timestamp');
        }
      })
      .where({ 'a.course_pk': coursePk, 'a.id': assignmentId })
      .first('a.pk', 'm.role');
    if (!row) {
      return undefined;
    }
    const submission: SubmissionRow | undefined =
      row.submission_pk == null
        ? undefined
        : { pk: row.submission_pk, student_id: studentId, timestamp: row.submission_timestamp };
    return { assignmentPk: row.pk, member: row.role != null, submission };
  }

  async findSubmission(
    assignmentPk: number,
    studentId: string,
    timestamp: string
  ): Promise<SubmissionRow | undefined> {
    return this.db('submissions')
      .where({ assignment_pk: assignmentPk, student_id: studentId, timestamp })
      .first('pk', 'student_id', 'timestamp');
  }

  async createSubmission(
    assignmentPk: number,
    studentId: string,
    timestamp: string,
    version: number | null = null
  ): Promise<SubmissionRow> {
    try {
      const [row] = await this.w('submissions')
        .insert({ assignment_pk: assignmentPk, student_id: studentId, timestamp, version })
        .returning(['pk', 'student_id', 'timestamp']);
      return row as SubmissionRow;
    } catch (err) {
      throw asUniqueViolation(err, 'submissions.assignment_student_timestamp');
    }
  }

  // ---- deadlines and extensions --------------------------------------------

  /** Deadlines of a course, or of one assignment of it. */
  async listDeadlines(coursePk: number, assignmentId?: string): Promise<DeadlineRow[]> {
    const query = this.db('deadlines').where({ course_pk: coursePk });
    if (assignmentId !== undefined) {
      query.andWhere({ assignment_id: assignmentId });
    }
    const rows: Array<DeadlineRow & { hard: boolean | number }> = await query
      .orderBy('pk')
      .select('assignment_id', 'due_at', 'hard');
    // SQLite answers booleans as 0/1
    return rows.map(r => ({ ...r, hard: Boolean(r.hard) }));
  }

  async putDeadline(
    coursePk: number,
    assignmentId: string,
    dueAt: string,
    hard: boolean,
    setBy: string
  ): Promise<void> {
    await this.w('deadlines')
      .insert({
        course_pk: coursePk,
        assignment_id: assignmentId,
        due_at: dueAt,
        hard,
        set_by: setBy
      })
      .onConflict(['course_pk', 'assignment_id'])
      .merge(['due_at', 'hard', 'set_by']);
  }

  /** Removes the deadline and its extensions; false when there was none. */
  async deleteDeadline(coursePk: number, assignmentId: string): Promise<boolean> {
    await this.w('deadline_extensions')
      .where({ course_pk: coursePk, assignment_id: assignmentId })
      .delete();
    const n = await this.w('deadlines')
      .where({ course_pk: coursePk, assignment_id: assignmentId })
      .delete();
    return n > 0;
  }

  /** Extensions of a course, optionally narrowed to one assignment and/or student. */
  async listExtensions(
    coursePk: number,
    filter: { assignmentId?: string; studentId?: string } = {}
  ): Promise<ExtensionRow[]> {
    const query = this.db('deadline_extensions').where({ course_pk: coursePk });
    if (filter.assignmentId !== undefined) {
      query.andWhere({ assignment_id: filter.assignmentId });
    }
    if (filter.studentId !== undefined) {
      query.andWhere({ student_id: filter.studentId });
    }
    return query.orderBy('pk').select('assignment_id', 'student_id', 'due_at');
  }

  async putExtension(
    coursePk: number,
    assignmentId: string,
    studentId: string,
    dueAt: string,
    setBy: string
  ): Promise<void> {
    await this.w('deadline_extensions')
      .insert({
        course_pk: coursePk,
        assignment_id: assignmentId,
        student_id: studentId,
        due_at: dueAt,
        set_by: setBy
      })
      .onConflict(['course_pk', 'assignment_id', 'student_id'])
      .merge(['due_at', 'set_by']);
  }

  async deleteExtension(
    coursePk: number,
    assignmentId: string,
    studentId: string
  ): Promise<boolean> {
    const n = await this.w('deadline_extensions')
      .where({ course_pk: coursePk, assignment_id: assignmentId, student_id: studentId })
      .delete();
    return n > 0;
  }

  // ---- files ---------------------------------------------------------------

  /** Records blobs (refreshing their touch time) and links them to an owner, in upload order. */
  async attachFiles(owner: FileOwner, files: readonly NewFile[], now: number): Promise<void> {
    if (files.length === 0) {
      return;
    }
    const blobs = new Map<string, NewFile>();
    for (const file of files) {
      blobs.set(file.sha256, file);
    }
    // In hash order: concurrent uploads sharing contents then lock the blob
    // rows in one order (PostgreSQL would otherwise detect deadlocks).
    const blobRows = [...blobs.values()]
      .sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0))
      .map(f => ({
        sha256: f.sha256,
        md5: f.md5,
        size: f.size,
        touched_at: now
      }));
    for (let i = 0; i < blobRows.length; i += 200) {
      await this.w('blobs')
        .insert(blobRows.slice(i, i + 200))
        .onConflict('sha256')
        .merge(['touched_at']);
    }
    const { table, owner: ownerColumn } = FILE_TABLE[owner.kind];
    const links = files.map(f => ({
      [ownerColumn]: owner.pk,
      path: f.path,
      blob_sha256: f.sha256
    }));
    for (let i = 0; i < links.length; i += 200) {
      await this.w(table).insert(links.slice(i, i + 200));
    }
  }

  /** Unlinks the owner's files; returns the hashes they referred to (for the collector). */
  async detachFiles(owner: FileOwner): Promise<string[]> {
    const { table, owner: ownerColumn } = FILE_TABLE[owner.kind];
    // knex's SQLite dialect ignores `returning` on delete: read first (the caller holds the
    // lock), and skip the delete when there is nothing, as on a first upload.
    const rows: Array<{ blob_sha256: string }> = await this.w(table)
      .where(ownerColumn, owner.pk)
      .select('blob_sha256');
    if (rows.length > 0) {
      await this.w(table).where(ownerColumn, owner.pk).delete();
    }
    return [...new Set(rows.map(r => r.blob_sha256))];
  }

  async listFiles(owner: FileOwner): Promise<StoredFile[]> {
    const { table, owner: ownerColumn } = FILE_TABLE[owner.kind];
    return this.db(table)
      .join('blobs', 'blobs.sha256', `${table}.blob_sha256`)
      .where(`${table}.${ownerColumn}`, owner.pk)
      .orderBy(`${table}.pk`)
      .select(
        `${table}.path as path`,
        'blobs.md5 as md5',
        'blobs.sha256 as sha256',
        'blobs.size as size'
      )
      .then(rows => rows.map((r: StoredFile) => ({ ...r, size: Number(r.size) })));
  }

  /** The files of the assignment `assignmentId` of the course in one query; undefined: none such. */
  async findAssignmentFiles(
    coursePk: number,
    assignmentId: string
  ): Promise<StoredFile[] | undefined> {
    const rows = await this.db('assignments as a')
      .leftJoin('assignment_files as f', 'f.assignment_pk', 'a.pk')
      .leftJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
      .where({ 'a.course_pk': coursePk, 'a.id': assignmentId })
      .orderBy('f.pk')
      .select('f.path as path', 'b.md5 as md5', 'b.sha256 as sha256', 'b.size as size');
    if (rows.length === 0) {
      return undefined;
    }
    return rows
      .filter((r: { path: string | null }) => r.path !== null)
      .map((r: StoredFile) => ({ ...r, size: Number(r.size) }));
  }

  /** Blobs nobody references that were last touched before `cutoff` (ms); only `among`, if given. */
  async unreferencedBlobs(
    cutoff: number,
    limit: number,
    among?: readonly string[]
  ): Promise<string[]> {
    const rows = await this.db('blobs')
      .where('touched_at', '<', cutoff)
      .modify(q => {
        if (among) {
          q.whereIn('sha256', among);
        }
      })
      .whereNotExists(q =>
        q.select(1).from('assignment_files').whereRaw('blob_sha256 = blobs.sha256')
      )
      .whereNotExists(q =>
        q.select(1).from('submission_files').whereRaw('blob_sha256 = blobs.sha256')
      )
      .whereNotExists(q =>
        q.select(1).from('feedback_files').whereRaw('blob_sha256 = blobs.sha256')
      )
      .whereNotExists(q => q.select(1).from('version_files').whereRaw('blob_sha256 = blobs.sha256'))
      .limit(limit)
      .select('sha256');
    return rows.map((r: { sha256: string }) => r.sha256);
  }

  /** Deletes a blob row if still stale; true when it was deleted (and the caller may remove the bytes). */
  async deleteBlobIfStale(sha256: string, cutoff: number): Promise<boolean> {
    const count = await this.w('blobs')
      .where({ sha256 })
      .andWhere('touched_at', '<', cutoff)
      .delete();
    return count > 0;
  }

  /** sha256 → md5 of every stored blob. */
  async knownBlobMd5s(): Promise<Map<string, string>> {
    const rows: Array<{ sha256: string; md5: string }> = await this.w('blobs').select(
      'sha256',
      'md5'
    );
    return new Map(rows.map(r => [r.sha256, r.md5]));
  }

  /** Row counts for import verification. */
  async countRows(): Promise<Record<string, number>> {
    const count = async (table: string, where: Record<string, string> = {}) =>
      Number(
        ((await this.db(table).where(where).count({ n: '*' })) as Array<{ n: number | string }>)[0]
          .n
      );
    return {
      courses: await count('courses'),
      instructors: await count('course_members', { role: 'instructor' }),
      students: await count('course_members', { role: 'student' }),
      assignments: await count('assignments'),
      submissions: await count('submissions'),
      files:
        (await count('assignment_files')) +
        (await count('submission_files')) +
        (await count('feedback_files'))
    };
  }

  /**
   * A row for stored bytes that have none, marked untouched since `touchedAt` (by default the
   * epoch, so that the collector takes it at once); a row that exists meanwhile (an upload reusing
   * the bytes) is left as it is.
   */
  async adoptStrayBlob(
    blob: { sha256: string; md5: string; size: number },
    touchedAt = 0
  ): Promise<void> {
    await this.w('blobs')
      .insert({ ...blob, touched_at: touchedAt })
      .onConflict('sha256')
      .ignore();
  }

  async knownBlobs(): Promise<Set<string>> {
    const rows = await this.db('blobs').select('sha256');
    return new Set(rows.map((r: { sha256: string }) => r.sha256));
  }

  // ---- rosters that follow hub groups --------------------------------------

  async findCourseGroups(coursePk: number): Promise<CourseGroupsRow | undefined> {
    return this.db('course_groups')
      .where({ course_pk: coursePk })
      .first('course_pk', 'student_group', 'instructor_group', 'synced_at', 'last_changes');
  }

  /** Every course that follows a group, with its id, for the periodic sync. */
  async listCourseGroups(): Promise<Array<CourseGroupsRow & { course_id: string }>> {
    return this.db('course_groups as g')
      .join('courses as c', 'c.pk', 'g.course_pk')
      .orderBy('c.id')
      .select(
        'g.course_pk',
        'c.id as course_id',
        'g.student_group',
        'g.instructor_group',
        'g.synced_at',
        'g.last_changes'
      );
  }

  async putCourseGroups(
    coursePk: number,
    groups: { student_group: string | null; instructor_group: string | null }
  ): Promise<void> {
    await this.w('course_groups')
      .insert({ course_pk: coursePk, ...groups, synced_at: null, last_changes: null })
      .onConflict('course_pk')
      .merge(['student_group', 'instructor_group']);
  }

  async deleteCourseGroups(coursePk: number): Promise<boolean> {
    return (await this.w('course_groups').where({ course_pk: coursePk }).delete()) > 0;
  }

  async recordGroupSync(coursePk: number, at: string, changes: string): Promise<void> {
    await this.w('course_groups')
      .where({ course_pk: coursePk })
      .update({ synced_at: at, last_changes: changes });
  }

  // ---- assignment versions ---------------------------------------------------

  /** Published versions, oldest first ([] when the assignment has only its implicit version 1). */
  async listVersions(assignmentPk: number): Promise<VersionRow[]> {
    return this.db('assignment_versions')
      .where({ assignment_pk: assignmentPk })
      .orderBy('number')
      .select('pk', 'number', 'released_at', 'released_by');
  }

  async createVersion(
    assignmentPk: number,
    number: number,
    releasedAt: string | null,
    releasedBy: string | null
  ): Promise<VersionRow> {
    try {
      const [row] = await this.w('assignment_versions')
        .insert({
          assignment_pk: assignmentPk,
          number,
          released_at: releasedAt,
          released_by: releasedBy
        })
        .returning(['pk', 'number', 'released_at', 'released_by']);
      return row as VersionRow;
    } catch (err) {
      throw asUniqueViolation(err, 'assignment_versions.assignment_number');
    }
  }

  /** Copies the assignment's current files to a version (version 1 written when 2 arrives). */
  async copyAssignmentFilesTo(assignmentPk: number, versionPk: number): Promise<void> {
    await this.w.raw(
      'INSERT INTO version_files (version_pk, path, blob_sha256) ' +
        'SELECT ?, path, blob_sha256 FROM assignment_files WHERE assignment_pk = ? ORDER BY pk',
      [versionPk, assignmentPk]
    );
  }

  // ---- history ---------------------------------------------------------------

  async appendHistory(events: readonly HistoryEvent[]): Promise<void> {
    const rows = events.map(e => ({
      course_id: e.course_id,
      at: e.at,
      actor: e.actor,
      action: e.action,
      assignment_id: e.assignment_id ?? null,
      student_id: e.student_id ?? null,
      timestamp: e.timestamp ?? null,
      files: e.files ?? null,
      bytes: e.bytes ?? null,
      checksum: e.checksum ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null
    }));
    // 11 columns: 80 rows stay under SQLite's 999 bound parameters
    for (let i = 0; i < rows.length; i += 80) {
      await this.w('history').insert(rows.slice(i, i + 80));
    }
  }

  /** Newest first; `beforeId` continues a page. */
  async listHistory(filter: HistoryFilter): Promise<HistoryRow[]> {
    const q = this.db('history').orderBy('pk', 'desc').limit(filter.limit);
    if (filter.courseId !== undefined) {
      void q.where('course_id', filter.courseId);
    }
    if (filter.concerning !== undefined) {
      const who = filter.concerning;
      void q.where(w => w.where('actor', who).orWhere('student_id', who));
    }
    for (const column of ['assignment_id', 'student_id', 'actor', 'action'] as const) {
      if (filter[column] !== undefined) {
        void q.where(column, filter[column]);
      }
    }
    if (filter.beforeId !== undefined) {
      void q.where('pk', '<', filter.beforeId);
    }
    const rows = await q.select('*');
    return rows.map(historyRow);
  }

  /**
   * What a user fetched in a course and every release there, oldest first: enough to tell which
   * version of each assignment they last fetched since it was (re)released.
   */
  async fetchesAndReleases(courseId: string, actor: string): Promise<Array<Required<HistoryRow>>> {
    const rows = await this.db('history')
      .where({ course_id: courseId })
      .where(w => w.where({ action: 'release' }).orWhere(f => f.where({ action: 'fetch', actor })))
      .orderBy('pk')
      .select('*');
    return rows.map(historyRow);
  }

  /** Published version rows of every assignment of a course, oldest first. */
  async courseVersions(coursePk: number): Promise<Array<VersionRow & { assignment_id: string }>> {
    return this.db('assignment_versions as v')
      .join('assignments as a', 'a.pk', 'v.assignment_pk')
      .where('a.course_pk', coursePk)
      .orderBy(['v.assignment_pk', 'v.number'])
      .select('v.pk', 'a.id as assignment_id', 'v.number', 'v.released_at', 'v.released_by');
  }

  /** A student's submissions in a course with their files, oldest first (their receipts). */
  async submissionsWithFiles(
    coursePk: number,
    studentId: string
  ): Promise<
    Array<{ assignment_id: string; timestamp: string; version: number; files: StoredFile[] }>
  > {
    const rows = await this.db('submissions as s')
      .join('assignments as a', 'a.pk', 's.assignment_pk')
      .leftJoin('submission_files as f', 'f.submission_pk', 's.pk')
      .leftJoin('blobs as b', 'b.sha256', 'f.blob_sha256')
      .where({ 'a.course_pk': coursePk, 's.student_id': studentId })
      .orderBy([{ column: 's.timestamp' }, { column: 'a.id' }, { column: 'f.pk' }])
      .select(
        'a.id as assignment_id',
        's.pk as submission_pk',
        's.timestamp as timestamp',
        's.version as version',
        'f.path as path',
        'b.md5 as md5',
        'b.sha256 as sha256',
        'b.size as size'
      );
    const out = new Map<
      number,
      { assignment_id: string; timestamp: string; version: number; files: StoredFile[] }
    >();
    for (const r of rows) {
      let entry = out.get(r.submission_pk);
      if (!entry) {
        entry = {
          assignment_id: r.assignment_id,
          timestamp: r.timestamp,
          version: r.version === null ? 1 : Number(r.version),
          files: []
        };
        out.set(r.submission_pk, entry);
      }
      if (r.path !== null) {
        entry.files.push({ path: r.path, md5: r.md5, sha256: r.sha256, size: Number(r.size) });
      }
    }
    return [...out.values()];
  }

  // ---- debug ---------------------------------------------------------------

  async clearAll(): Promise<void> {
    for (const table of [
      'version_files',
      'assignment_versions',
      'history',
      'course_groups',
      'deadline_extensions',
      'deadlines',
      'feedback_files',
      'submission_files',
      'assignment_files',
      'blobs',
      'submissions',
      'assignments',
      'course_members',
      'courses',
      'users'
    ]) {
      await this.w(table).delete();
    }
  }

  async dumpTables(): Promise<Record<string, Array<Record<string, unknown>>>> {
    const result: Record<string, Array<Record<string, unknown>>> = {};
    for (const table of TABLES) {
      result[table] = await this.db(table).select('*').orderBy(primaryKey(table));
    }
    return result;
  }
}

function asUniqueViolation(err: unknown, constraint: string): unknown {
  const e = err as { code?: string; errno?: number; message?: string };
  // PostgreSQL: 23505; SQLite: SQLITE_CONSTRAINT with a UNIQUE message.
  if (e.code === '23505' || (e.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e.message ?? ''))) {
    return new UniqueViolation(constraint);
  }
  return err;
}

/** Columns of a `course_members as m` left join (see joinedMember). */
const JOINED_MEMBER = ['m.role', 'm.first_name', 'm.last_name', 'm.email'];

/** The member row of a `course_members as m` left join, if it matched. */
function joinedMember(
  row: Pick<MemberRow, 'first_name' | 'last_name' | 'email'> & { role: MemberRow['role'] | null },
  userId: string
): MemberRow | undefined {
  return row.role
    ? {
        username: userId,
        role: row.role,
        first_name: row.first_name,
        last_name: row.last_name,
        email: row.email
      }
    : undefined;
}
