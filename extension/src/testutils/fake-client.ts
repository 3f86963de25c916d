import {
  IAssignmentDeadlineRecord,
  IBulkStatus,
  IBulkStudent,
  IDeadlineRecord,
  IExtensionRecord,
  IFeedbackArrivalRecord,
  IHistoryEventRecord,
  IHistoryPageRecord,
  IHistoryQuery,
  IReceiptRecord,
  IVersionChangesRecord,
  ICourseVersionRecord,
  IVersionListRecord,
  IRosterGroupsRecord,
  IRosterSyncChanges,
  InvalidResponseError,
  INgshareClient,
  IPerson,
  IPersonInfo,
  ISubmissionRecord,
  IUploadFile,
  IVersionInfo,
  IWireFile,
  ResponseError
} from '../api';
import SparkMD5 from 'spark-md5';
import { parseServerTimestamp } from '../vocabulary/time';

function ms(ts: string): number {
  return parseServerTimestamp(ts)?.getTime() ?? NaN;
}

function md5(content: string): string {
  const bytes = Buffer.from(content, 'base64');
  return SparkMD5.ArrayBuffer.hash(new Uint8Array(bytes).buffer);
}

function fileChanges(before: IUploadFile[], after: IUploadFile[]) {
  const old = new Map(before.map(f => [f.path, f.content]));
  const now = new Map(after.map(f => [f.path, f.content]));
  return {
    added: [...now.keys()].filter(p => !old.has(p)).sort(),
    changed: [...now.keys()].filter(p => old.has(p) && old.get(p) !== now.get(p)).sort(),
    removed: [...old.keys()].filter(p => !now.has(p)).sort()
  };
}

function wire(files: IUploadFile[], listOnly: boolean): IWireFile[] {
  return files.map(f =>
    listOnly
      ? { path: f.path, checksum: md5(f.content) }
      : {
          path: f.path,
          checksum: md5(f.content),
          // MIME-style like the real service
          content: (f.content.match(/.{1,76}/g) ?? []).join('\n') + '\n'
        }
  );
}

interface ISub {
  student: string;
  timestamp: string;
  files: IUploadFile[];
  feedback: IUploadFile[];
  /** When feedback was last uploaded (absent: none). */
  feedbackAt?: string;
}

/** An in-memory stand-in for the service with ngshare's semantics, for model tests. */
export class FakeClient implements INgshareClient {
  readonly baseUrl = '/services/ngshare/';
  courses = new Map<
    string,
    {
      students: Map<string, IPerson>;
      instructors: Map<string, IPerson>;
      assignments: Map<string, IUploadFile[]>;
      submissions: Map<string, ISub[]>;
      deadlines?: Map<string, { due: string; hard: boolean }>;
      /** keyed `assignment\0student` */
      extensions?: Map<string, string>;
    }
  >();
  /** false: an exchange without ngshare-ts's v2 routes (its 404 is not the JSON envelope). */
  deadlinesSupported = true;
  calls: string[] = [];
  private _clock = 0;

  addCourse(course: string): void {
    this.courses.set(course, {
      students: new Map(),
      instructors: new Map(),
      assignments: new Map(),
      submissions: new Map()
    });
  }

  private c(course: string) {
    const c = this.courses.get(course);
    if (!c) {
      throw new ResponseError(404, course, 'Course not found');
    }
    return c;
  }

  private subs(course: string, assignment: string): ISub[] {
    const c = this.c(course);
    if (!c.assignments.has(assignment)) {
      throw new ResponseError(404, assignment, 'Assignment not found');
    }
    if (!c.submissions.has(assignment)) {
      c.submissions.set(assignment, []);
    }
    return c.submissions.get(assignment)!;
  }

  nextTimestamp(): string {
    this._clock += 1;
    return `2026-11-25 10:00:${String(this._clock).padStart(2, '0')}.000001`;
  }

  async version(): Promise<IVersionInfo> {
    return { version: '0.1.0', name: 'ngshare-ts' };
  }
  async listCourses(): Promise<string[]> {
    this.calls.push('courses');
    return [...this.courses.keys()].sort();
  }
  async createCourse(course: string, instructors: string[] = []): Promise<void> {
    this.addCourse(course);
    for (const i of instructors) {
      this.c(course).instructors.set(i, {
        username: i,
        first_name: null,
        last_name: null,
        email: null
      });
    }
  }
  async deleteCourse(course: string): Promise<void> {
    this.courses.delete(course);
  }
  async listInstructors(course: string): Promise<IPerson[]> {
    return [...this.c(course).instructors.values()];
  }
  async getInstructor(course: string, instructor: string): Promise<IPerson> {
    const p = this.c(course).instructors.get(instructor);
    if (!p) {
      throw new ResponseError(404, instructor, 'Instructor not found');
    }
    return p;
  }
  async addInstructor(course: string, instructor: string, info: IPersonInfo): Promise<void> {
    this.c(course).instructors.set(instructor, { username: instructor, ...info });
  }
  async removeInstructor(course: string, instructor: string): Promise<void> {
    this.c(course).instructors.delete(instructor);
  }
  async listStudents(course: string): Promise<IPerson[]> {
    return [...this.c(course).students.values()];
  }
  async getStudent(course: string, student: string): Promise<IPerson> {
    const p = this.c(course).students.get(student);
    if (!p) {
      throw new ResponseError(404, student, 'Student not found');
    }
    return p;
  }
  async addStudent(course: string, student: string, info: IPersonInfo): Promise<void> {
    if (this.c(course).instructors.has(student)) {
      throw new ResponseError(409, student, 'Cannot add instructor as student');
    }
    this.c(course).students.set(student, { username: student, ...info });
  }
  async addStudents(course: string, students: IBulkStudent[]): Promise<IBulkStatus[]> {
    return students.map(s => {
      if (this.c(course).instructors.has(s.username)) {
        return {
          username: s.username,
          success: false,
          message: 'Cannot add instructor as student'
        };
      }
      this.c(course).students.set(s.username, { ...s });
      return { username: s.username, success: true };
    });
  }
  async removeStudent(course: string, student: string): Promise<void> {
    if (!this.c(course).students.delete(student)) {
      throw new ResponseError(404, student, 'Student not found');
    }
  }
  async listAssignments(course: string): Promise<string[]> {
    this.calls.push(`assignments/${course}`);
    return [...this.c(course).assignments.keys()];
  }
  async getAssignment(course: string, assignment: string, listOnly = false): Promise<IWireFile[]> {
    this.calls.push(`assignment/${course}/${assignment}${listOnly ? '?list_only' : ''}`);
    const files = this.c(course).assignments.get(assignment);
    if (!files) {
      throw new ResponseError(404, assignment, 'Assignment not found');
    }
    if (!listOnly && this.deadlinesSupported) {
      this._noteFetch(course, assignment, this._versionsOf(course, assignment).length);
    }
    return wire(files, listOnly);
  }
  async releaseAssignment(course: string, assignment: string, files: IUploadFile[]): Promise<void> {
    if (this.c(course).assignments.has(assignment)) {
      throw new ResponseError(409, assignment, 'Assignment already exists');
    }
    this.c(course).assignments.set(assignment, files);
  }
  async deleteAssignment(course: string, assignment: string): Promise<void> {
    if (!this.c(course).assignments.delete(assignment)) {
      throw new ResponseError(404, assignment, 'Assignment not found');
    }
    this.c(course).submissions.delete(assignment);
    this.versionFiles.delete(`${course}\u0000${assignment}`);
    this.fetchedVersion.delete(`${course}\u0000${assignment}`);
  }
  async listSubmissions(course: string, assignment: string): Promise<ISubmissionRecord[]> {
    return this.subs(course, assignment).map(s => ({
      student_id: s.student,
      timestamp: s.timestamp
    }));
  }
  async listStudentSubmissions(
    course: string,
    assignment: string,
    student: string
  ): Promise<ISubmissionRecord[]> {
    return (await this.listSubmissions(course, assignment)).filter(s => s.student_id === student);
  }
  /** Submissions are made as `submitAs` (the fake has no auth). */
  submitAs = 'alice';
  async submit(course: string, assignment: string, files: IUploadFile[]): Promise<string> {
    this.subs(course, assignment);
    const timestamp = this.nextTimestamp();
    const deadline = this.dl(course).get(assignment);
    if (deadline?.hard && !this.c(course).instructors.has(this.submitAs)) {
      const due = this.dueFor(course, assignment, this.submitAs)!;
      if (ms(timestamp) > ms(due)) {
        throw new ResponseError(
          403,
          assignment,
          `Submissions to ${assignment} closed at its hard deadline, ${due} (UTC)`
        );
      }
    }
    this.subs(course, assignment).push({ student: this.submitAs, timestamp, files, feedback: [] });
    return timestamp;
  }
  async getSubmission(
    course: string,
    assignment: string,
    student: string,
    options: { timestamp?: string; listOnly?: boolean } = {}
  ): Promise<{ files: IWireFile[]; timestamp: string }> {
    const mine = this.subs(course, assignment).filter(s => s.student === student);
    const sub = options.timestamp
      ? mine.find(s => s.timestamp === options.timestamp)
      : mine.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))[mine.length - 1];
    if (!sub) {
      throw new ResponseError(404, student, 'Submission not found');
    }
    return { files: wire(sub.files, !!options.listOnly), timestamp: sub.timestamp };
  }
  async releaseFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    files: IUploadFile[]
  ): Promise<void> {
    const sub = this.subs(course, assignment).find(
      s => s.student === student && s.timestamp === timestamp
    );
    if (!sub) {
      throw new ResponseError(404, student, 'Submission not found');
    }
    sub.feedback = files;
    sub.feedbackAt = files.length > 0 ? this.nextTimestamp() : undefined;
  }
  async getFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    listOnly = false
  ): Promise<{ files: IWireFile[]; timestamp: string }> {
    const sub = this.subs(course, assignment).find(
      s => s.student === student && s.timestamp === timestamp
    );
    if (!sub) {
      throw new ResponseError(404, student, 'Submission not found');
    }
    return { files: wire(sub.feedback, listOnly), timestamp };
  }

  // ---------------------------------------------------------------- v2 groups
  /** The hub's groups, as the exchange would read them. */
  readonly hubGroups = new Map<string, string[]>();
  private readonly followed = new Map<string, IRosterGroupsRecord>();
  async getRosterGroups(course: string): Promise<IRosterGroupsRecord | null> {
    this.v2(course);
    return this.followed.get(course) ?? null;
  }
  async followRosterGroups(
    course: string,
    groups: { studentGroup?: string; instructorGroup?: string }
  ): Promise<IRosterSyncChanges> {
    this.v2(course);
    this.followed.set(course, {
      student_group: groups.studentGroup ?? `nbgrader-${course}`,
      instructor_group: null,
      synced_at: null,
      last_changes: null
    });
    return this.syncRosterGroups(course);
  }
  async syncRosterGroups(course: string): Promise<IRosterSyncChanges> {
    this.v2(course);
    const f = this.followed.get(course);
    if (!f) {
      throw new ResponseError(404, course, 'Course does not follow hub groups');
    }
    const c = this.c(course);
    const wanted = new Set(f.student_group ? (this.hubGroups.get(f.student_group) ?? []) : []);
    const changes: IRosterSyncChanges = {
      added_students: [...wanted].filter(u => !c.students.has(u)).sort(),
      removed_students: [...c.students.keys()].filter(u => !wanted.has(u)).sort(),
      added_instructors: [],
      removed_instructors: [],
      skipped: []
    };
    changes.removed_students.forEach(u => c.students.delete(u));
    changes.added_students.forEach(u =>
      c.students.set(u, { username: u, first_name: null, last_name: null, email: null })
    );
    this.followed.set(course, { ...f, synced_at: this.nextTimestamp(), last_changes: changes });
    return changes;
  }
  async unfollowRosterGroups(course: string): Promise<void> {
    this.v2(course);
    if (!this.followed.delete(course)) {
      throw new ResponseError(404, course, 'Course does not follow hub groups');
    }
  }

  // ---------------------------------------------------------------- v2 history
  /** The history the fake answers, newest first (tests fill it). */
  history: IHistoryEventRecord[] = [];
  /** Receipts per course (tests fill them). */
  receipts = new Map<string, IReceiptRecord[]>();

  async getHistory(course: string, query: IHistoryQuery = {}): Promise<IHistoryPageRecord> {
    this.calls.push(`v2/history/${course}${query.before ? `?before=${query.before}` : ''}`);
    this.v2(course);
    const matching = this.history.filter(
      e =>
        e.course_id === course &&
        (!query.action || e.action === query.action) &&
        (query.before === undefined || e.id < query.before)
    );
    const limit = query.limit ?? 500;
    const events = matching.slice(0, limit);
    return {
      events,
      next_before: matching.length > limit ? events[events.length - 1].id : null
    };
  }
  async historyCsv(course: string, query: IHistoryQuery = {}): Promise<string> {
    this.v2(course);
    const rows = this.history.filter(
      e => e.course_id === course && (!query.action || e.action === query.action)
    );
    return ['id,action', ...rows.map(e => `${e.id},${e.action}`)].join('\n') + '\n';
  }
  /** Every version's files per `course\0assignment` (absent: only the release, version 1). */
  versionFiles = new Map<string, IUploadFile[][]>();
  /** The newest version the (one) caller fetched, per `course\0assignment`. */
  fetchedVersion = new Map<string, number>();
  private _versionsOf(course: string, assignment: string): IUploadFile[][] {
    const files = this.c(course).assignments.get(assignment);
    if (!files) {
      throw new ResponseError(404, assignment, 'Assignment not found');
    }
    return this.versionFiles.get(`${course}\u0000${assignment}`) ?? [files];
  }
  async publishVersion(
    course: string,
    assignment: string,
    files: IUploadFile[]
  ): Promise<IVersionChangesRecord> {
    this.v2(course);
    const c = this.c(course);
    const all = this._versionsOf(course, assignment);
    const changes = fileChanges(all[all.length - 1], files);
    if (!changes.added.length && !changes.changed.length && !changes.removed.length) {
      throw new ResponseError(
        409,
        assignment,
        `These files are the same as version ${all.length}: nothing to publish`
      );
    }
    c.assignments.set(assignment, files);
    this.versionFiles.set(`${course}\u0000${assignment}`, [...all, files]);
    return { version: all.length + 1, ...changes };
  }
  async courseVersions(course: string): Promise<ICourseVersionRecord[]> {
    this.calls.push(`v2/versions/${course}`);
    this.v2(course);
    return [...this.c(course).assignments.keys()].map(a => ({
      assignment_id: a,
      current: this._versionsOf(course, a).length,
      fetched: this.fetchedVersion.get(`${course}\u0000${a}`) ?? null
    }));
  }
  async listVersions(course: string, assignment: string): Promise<IVersionListRecord> {
    this.calls.push(`v2/versions/${course}/${assignment}`);
    this.v2(course);
    const all = this._versionsOf(course, assignment);
    return {
      current: all.length,
      fetched: this.fetchedVersion.get(`${course}\u0000${assignment}`) ?? null,
      versions: all.map((files, i) => ({
        version: i + 1,
        released_at: i === 0 ? null : this.nextTimestamp(),
        released_by: i === 0 ? null : 'ins',
        files: files.map(f => ({ path: f.path, checksum: md5(f.content) })),
        checksum: `tree-${i + 1}`,
        ...fileChanges(i === 0 ? [] : all[i - 1], files)
      }))
    };
  }
  async getVersion(
    course: string,
    assignment: string,
    version: number,
    listOnly = false
  ): Promise<IWireFile[]> {
    this.calls.push(
      `v2/versions/${course}/${assignment}/${version}${listOnly ? '?list_only' : ''}`
    );
    this.v2(course);
    const files = this._versionsOf(course, assignment)[version - 1];
    if (!files) {
      throw new ResponseError(404, assignment, 'Version not found');
    }
    if (!listOnly) {
      this._noteFetch(course, assignment, version);
    }
    return wire(files, listOnly);
  }
  private _noteFetch(course: string, assignment: string, version: number): void {
    const key = `${course}\u0000${assignment}`;
    this.fetchedVersion.set(key, Math.max(version, this.fetchedVersion.get(key) ?? 0));
  }

  async listReceipts(course: string): Promise<IReceiptRecord[]> {
    this.calls.push(`v2/receipts/${course}`);
    this.v2(course);
    return this.receipts.get(course) ?? [];
  }

  // ---------------------------------------------------------------- v2 feedback
  async feedbackOverview(course: string): Promise<IFeedbackArrivalRecord[]> {
    this.calls.push(`v2/feedback/${course}`);
    if (!this.deadlinesSupported) {
      throw new InvalidResponseError(404, `v2/feedback/${course}`, 'Not Found', false);
    }
    const newest = new Map<string, IFeedbackArrivalRecord>();
    for (const [assignment, subs] of this.c(course).submissions) {
      for (const s of subs) {
        const known = newest.get(assignment);
        if (
          s.student === this.submitAs &&
          s.feedbackAt &&
          (!known || s.timestamp > known.timestamp)
        ) {
          newest.set(assignment, {
            assignment_id: assignment,
            timestamp: s.timestamp,
            feedback_at: s.feedbackAt
          });
        }
      }
    }
    return [...newest.values()].sort((a, b) => a.assignment_id.localeCompare(b.assignment_id));
  }

  // ---------------------------------------------------------------- v2 deadlines
  private v2(course: string): void {
    this.calls.push(`v2/${course}`);
    if (!this.deadlinesSupported) {
      throw new InvalidResponseError(404, `v2/${course}`, 'Not Found', false);
    }
    this.c(course);
  }
  private dl(course: string): Map<string, { due: string; hard: boolean }> {
    const c = this.c(course);
    c.deadlines ??= new Map();
    return c.deadlines;
  }
  private ext(course: string): Map<string, string> {
    const c = this.c(course);
    c.extensions ??= new Map();
    return c.extensions;
  }
  private dueFor(course: string, assignment: string, student: string): string | null {
    const d = this.dl(course).get(assignment);
    if (!d) {
      return null;
    }
    const e = this.ext(course).get(`${assignment}\u0000${student}`);
    return e !== undefined && ms(e) > ms(d.due) ? e : d.due;
  }
  private extensionsOf(course: string, assignment: string): IExtensionRecord[] {
    const who = this.submitAs;
    const staff = this.c(course).instructors.has(who);
    return [...this.ext(course).entries()]
      .filter(([k]) => k.startsWith(`${assignment}\u0000`))
      .map(([k, due]) => ({ student_id: k.slice(assignment.length + 1), due }))
      .filter(e => staff || e.student_id === who);
  }
  async listDeadlines(course: string): Promise<IDeadlineRecord[]> {
    this.v2(course);
    return [...this.dl(course).entries()].map(([a, d]) => ({
      assignment_id: a,
      due: d.due,
      hard: d.hard,
      released: this.c(course).assignments.has(a),
      extensions: this.extensionsOf(course, a)
    }));
  }
  async getDeadline(course: string, assignment: string): Promise<IAssignmentDeadlineRecord> {
    this.v2(course);
    const d = this.dl(course).get(assignment);
    const staff = this.c(course).instructors.has(this.submitAs);
    const subs = this.subs(course, assignment).filter(s => staff || s.student === this.submitAs);
    return {
      deadline: d ? { ...d } : null,
      extensions: this.extensionsOf(course, assignment),
      submissions: d
        ? subs.map(s => {
            const due = this.dueFor(course, assignment, s.student)!;
            const late = Math.max(0, (ms(s.timestamp) - ms(due)) / 1000);
            return {
              student_id: s.student,
              timestamp: s.timestamp,
              due,
              late: late > 0,
              seconds_late: late
            };
          })
        : []
    };
  }
  async setDeadline(
    course: string,
    assignment: string,
    due: string,
    hard: boolean
  ): Promise<IDeadlineRecord> {
    this.v2(course);
    this.calls.push(`POST v2/deadline/${course}/${assignment} due=${due} hard=${hard}`);
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(due)) {
      throw new ResponseError(
        400,
        assignment,
        'due must be an ISO 8601 date and time with a time zone'
      );
    }
    this.dl(course).set(assignment, { due, hard });
    return {
      assignment_id: assignment,
      due,
      hard,
      released: this.c(course).assignments.has(assignment),
      extensions: this.extensionsOf(course, assignment)
    };
  }
  async clearDeadline(course: string, assignment: string): Promise<void> {
    this.v2(course);
    if (!this.dl(course).delete(assignment)) {
      throw new ResponseError(404, assignment, 'No deadline is set for this assignment');
    }
    for (const k of [...this.ext(course).keys()]) {
      if (k.startsWith(`${assignment}\u0000`)) {
        this.ext(course).delete(k);
      }
    }
  }
  async grantExtension(
    course: string,
    assignment: string,
    student: string,
    due: string
  ): Promise<IExtensionRecord> {
    this.v2(course);
    if (!this.c(course).students.has(student)) {
      throw new ResponseError(404, student, 'Student not found');
    }
    const d = this.dl(course).get(assignment);
    if (!d) {
      throw new ResponseError(
        409,
        assignment,
        'Set a deadline for this assignment before granting an extension'
      );
    }
    if (ms(due) <= ms(d.due)) {
      throw new ResponseError(
        400,
        assignment,
        `An extension must end after the deadline (${d.due})`
      );
    }
    this.ext(course).set(`${assignment}\u0000${student}`, due);
    return { student_id: student, due };
  }
  async revokeExtension(course: string, assignment: string, student: string): Promise<void> {
    this.v2(course);
    if (!this.ext(course).delete(`${assignment}\u0000${student}`)) {
      throw new ResponseError(404, student, 'No extension is set for this student');
    }
  }
}
