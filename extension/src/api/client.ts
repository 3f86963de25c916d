import { endpoint, IRequestSettings, requestAPI } from './request';
import {
  IAssignmentDeadlineRecord,
  IBulkStatus,
  IBulkStudent,
  IDeadlineRecord,
  IExtensionRecord,
  IFeedbackArrivalRecord,
  IHistoryPageRecord,
  IHistoryQuery,
  IReceiptRecord,
  IVersionChangesRecord,
  ICourseVersionRecord,
  IVersionListRecord,
  IRosterGroupsRecord,
  IRosterSyncChanges,
  IPerson,
  ISubmissionRecord,
  IUploadFile,
  IVersionInfo,
  IWireFile
} from './types';

/** Name and e-mail sent when adding or updating a student or instructor. */
export interface IPersonInfo {
  first_name: string;
  last_name: string;
  email: string;
}

/**
 * Typed methods for every ngshare endpoint (ngshare-api.md §1.7) plus `version`. Models depend on
 * this interface, so tests can hand them a stand-in.
 */
export interface INgshareClient {
  readonly baseUrl: string;
  version(): Promise<IVersionInfo>;

  listCourses(): Promise<string[]>;
  createCourse(course: string, instructors?: string[]): Promise<void>;
  deleteCourse(course: string): Promise<void>;

  listInstructors(course: string): Promise<IPerson[]>;
  getInstructor(course: string, instructor: string): Promise<IPerson>;
  addInstructor(course: string, instructor: string, info: IPersonInfo): Promise<void>;
  removeInstructor(course: string, instructor: string): Promise<void>;

  listStudents(course: string): Promise<IPerson[]>;
  getStudent(course: string, student: string): Promise<IPerson>;
  addStudent(course: string, student: string, info: IPersonInfo): Promise<void>;
  addStudents(course: string, students: IBulkStudent[]): Promise<IBulkStatus[]>;
  removeStudent(course: string, student: string): Promise<void>;

  listAssignments(course: string): Promise<string[]>;
  getAssignment(
    course: string,
    assignment: string,
    listOnly?: boolean,
    onProgress?: (loaded: number, total: number) => void
  ): Promise<IWireFile[]>;
  releaseAssignment(course: string, assignment: string, files: IUploadFile[]): Promise<void>;
  deleteAssignment(course: string, assignment: string): Promise<void>;

  listSubmissions(course: string, assignment: string): Promise<ISubmissionRecord[]>;
  listStudentSubmissions(
    course: string,
    assignment: string,
    student: string
  ): Promise<ISubmissionRecord[]>;
  submit(course: string, assignment: string, files: IUploadFile[]): Promise<string>;
  getSubmission(
    course: string,
    assignment: string,
    student: string,
    options?: { timestamp?: string; listOnly?: boolean }
  ): Promise<{ files: IWireFile[]; timestamp: string }>;

  releaseFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    files: IUploadFile[]
  ): Promise<void>;
  getFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    listOnly?: boolean
  ): Promise<{ files: IWireFile[]; timestamp: string }>;

  // ngshare-ts only (v2/): rosters that follow JupyterHub groups
  getRosterGroups(course: string): Promise<IRosterGroupsRecord | null>;
  /** `studentGroup`: a hub group name, or '' to keep students by hand; absent: the default. */
  followRosterGroups(
    course: string,
    groups: { studentGroup?: string; instructorGroup?: string }
  ): Promise<IRosterSyncChanges>;
  syncRosterGroups(course: string): Promise<IRosterSyncChanges>;
  unfollowRosterGroups(course: string): Promise<void>;
  // ngshare-ts only (v2/): when the caller's newest feedback arrived, per assignment
  feedbackOverview(course: string): Promise<IFeedbackArrivalRecord[]>;
  // ngshare-ts only (v2/): the course's history (a page, or all of it as CSV) and receipts
  getHistory(course: string, query?: IHistoryQuery): Promise<IHistoryPageRecord>;
  historyCsv(course: string, query?: IHistoryQuery): Promise<string>;
  listReceipts(course: string): Promise<IReceiptRecord[]>;
  // ngshare-ts only (v2/): publish new files as the next version, keeping all work
  publishVersion(
    course: string,
    assignment: string,
    files: IUploadFile[]
  ): Promise<IVersionChangesRecord>;
  courseVersions(course: string): Promise<ICourseVersionRecord[]>;
  listVersions(course: string, assignment: string): Promise<IVersionListRecord>;
  /** One version's files (recorded as the caller's fetch of it unless `listOnly`). */
  getVersion(
    course: string,
    assignment: string,
    version: number,
    listOnly?: boolean,
    onProgress?: (loaded: number, total: number) => void
  ): Promise<IWireFile[]>;
  // ngshare-ts only (v2/): deadlines and per-student extensions
  listDeadlines(course: string): Promise<IDeadlineRecord[]>;
  getDeadline(course: string, assignment: string): Promise<IAssignmentDeadlineRecord>;
  /** `due`: ISO 8601 with a zone (the service refuses a time without one). */
  setDeadline(
    course: string,
    assignment: string,
    due: string,
    hard: boolean
  ): Promise<IDeadlineRecord>;
  clearDeadline(course: string, assignment: string): Promise<void>;
  grantExtension(
    course: string,
    assignment: string,
    student: string,
    due: string
  ): Promise<IExtensionRecord>;
  revokeExtension(course: string, assignment: string, student: string): Promise<void>;
}

function personFields(info: IPersonInfo): Record<string, string> {
  return { first_name: info.first_name, last_name: info.last_name, email: info.email };
}

/** The real client: every method is one `requestAPI` call. */
export class NgshareClient implements INgshareClient {
  constructor(private readonly _settings: IRequestSettings) {}

  get baseUrl(): string {
    return this._settings.baseUrl;
  }

  async version(): Promise<IVersionInfo> {
    const r = await requestAPI<{ version: string; name?: string; user?: unknown; admin?: unknown }>(
      this._settings,
      'version'
    );
    return {
      version: String(r.version),
      name: r.name,
      user: typeof r.user === 'string' ? r.user : undefined,
      admin: typeof r.admin === 'boolean' ? r.admin : undefined
    };
  }

  async listCourses(): Promise<string[]> {
    const r = await requestAPI<{ courses: string[] }>(this._settings, 'courses');
    return r.courses ?? [];
  }

  async createCourse(course: string, instructors: string[] = []): Promise<void> {
    await requestAPI(this._settings, endpoint('course', course), {
      method: 'POST',
      form: { instructors: JSON.stringify(instructors) }
    });
  }

  async deleteCourse(course: string): Promise<void> {
    await requestAPI(this._settings, endpoint('course', course), { method: 'DELETE' });
  }

  async listInstructors(course: string): Promise<IPerson[]> {
    const r = await requestAPI<{ instructors: IPerson[] }>(
      this._settings,
      endpoint('instructors', course)
    );
    return r.instructors ?? [];
  }

  async getInstructor(course: string, instructor: string): Promise<IPerson> {
    const r = await requestAPI<IPerson>(this._settings, endpoint('instructor', course, instructor));
    return pickPerson(r);
  }

  async addInstructor(course: string, instructor: string, info: IPersonInfo): Promise<void> {
    await requestAPI(this._settings, endpoint('instructor', course, instructor), {
      method: 'POST',
      form: personFields(info)
    });
  }

  async removeInstructor(course: string, instructor: string): Promise<void> {
    await requestAPI(this._settings, endpoint('instructor', course, instructor), {
      method: 'DELETE'
    });
  }

  async listStudents(course: string): Promise<IPerson[]> {
    const r = await requestAPI<{ students: IPerson[] }>(
      this._settings,
      endpoint('students', course)
    );
    return r.students ?? [];
  }

  async getStudent(course: string, student: string): Promise<IPerson> {
    const r = await requestAPI<IPerson>(this._settings, endpoint('student', course, student));
    return pickPerson(r);
  }

  async addStudent(course: string, student: string, info: IPersonInfo): Promise<void> {
    await requestAPI(this._settings, endpoint('student', course, student), {
      method: 'POST',
      form: personFields(info)
    });
  }

  async addStudents(course: string, students: IBulkStudent[]): Promise<IBulkStatus[]> {
    const r = await requestAPI<{ status: IBulkStatus[] }>(
      this._settings,
      endpoint('students', course),
      { method: 'POST', form: { students: JSON.stringify(students) } }
    );
    return r.status ?? [];
  }

  async removeStudent(course: string, student: string): Promise<void> {
    await requestAPI(this._settings, endpoint('student', course, student), { method: 'DELETE' });
  }

  async listAssignments(course: string): Promise<string[]> {
    const r = await requestAPI<{ assignments: string[] }>(
      this._settings,
      endpoint('assignments', course)
    );
    return r.assignments ?? [];
  }

  async getAssignment(
    course: string,
    assignment: string,
    listOnly = false,
    onProgress?: (loaded: number, total: number) => void
  ): Promise<IWireFile[]> {
    const r = await requestAPI<{ files: IWireFile[] }>(
      this._settings,
      endpoint('assignment', course, assignment),
      { query: { list_only: listOnly ? 'true' : 'false' }, onDownloadProgress: onProgress }
    );
    return r.files ?? [];
  }

  async releaseAssignment(course: string, assignment: string, files: IUploadFile[]): Promise<void> {
    await requestAPI(this._settings, endpoint('assignment', course, assignment), {
      method: 'POST',
      form: { files: JSON.stringify(files) }
    });
  }

  async deleteAssignment(course: string, assignment: string): Promise<void> {
    await requestAPI(this._settings, endpoint('assignment', course, assignment), {
      method: 'DELETE'
    });
  }

  async listSubmissions(course: string, assignment: string): Promise<ISubmissionRecord[]> {
    const r = await requestAPI<{ submissions: ISubmissionRecord[] }>(
      this._settings,
      endpoint('submissions', course, assignment)
    );
    return r.submissions ?? [];
  }

  async listStudentSubmissions(
    course: string,
    assignment: string,
    student: string
  ): Promise<ISubmissionRecord[]> {
    const r = await requestAPI<{ submissions: ISubmissionRecord[] }>(
      this._settings,
      endpoint('submissions', course, assignment, student)
    );
    return r.submissions ?? [];
  }

  async submit(course: string, assignment: string, files: IUploadFile[]): Promise<string> {
    const r = await requestAPI<{ timestamp: string }>(
      this._settings,
      endpoint('submission', course, assignment),
      { method: 'POST', form: { files: JSON.stringify(files) } }
    );
    return String(r.timestamp);
  }

  async getSubmission(
    course: string,
    assignment: string,
    student: string,
    options: { timestamp?: string; listOnly?: boolean } = {}
  ): Promise<{ files: IWireFile[]; timestamp: string }> {
    const r = await requestAPI<{ files: IWireFile[]; timestamp: string }>(
      this._settings,
      endpoint('submission', course, assignment, student),
      {
        query: {
          timestamp: options.timestamp,
          list_only: options.listOnly ? 'true' : 'false'
        }
      }
    );
    return { files: r.files ?? [], timestamp: String(r.timestamp) };
  }

  async releaseFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    files: IUploadFile[]
  ): Promise<void> {
    await requestAPI(this._settings, endpoint('feedback', course, assignment, student), {
      method: 'POST',
      form: { timestamp, files: JSON.stringify(files) }
    });
  }

  async getFeedback(
    course: string,
    assignment: string,
    student: string,
    timestamp: string,
    listOnly = false
  ): Promise<{ files: IWireFile[]; timestamp: string }> {
    const r = await requestAPI<{ files: IWireFile[]; timestamp: string }>(
      this._settings,
      endpoint('feedback', course, assignment, student),
      { query: { timestamp, list_only: listOnly ? 'true' : 'false' } }
    );
    return { files: r.files ?? [], timestamp: String(r.timestamp ?? timestamp) };
  }

  async getRosterGroups(course: string): Promise<IRosterGroupsRecord | null> {
    const r = await requestAPI<{ groups: IRosterGroupsRecord | null }>(
      this._settings,
      endpoint('v2', 'groups', course)
    );
    return r.groups ?? null;
  }

  async followRosterGroups(
    course: string,
    groups: { studentGroup?: string; instructorGroup?: string }
  ): Promise<IRosterSyncChanges> {
    const form: Record<string, string> = {};
    if (groups.studentGroup !== undefined) {
      form.student_group = groups.studentGroup;
    }
    if (groups.instructorGroup !== undefined) {
      form.instructor_group = groups.instructorGroup;
    }
    const r = await requestAPI<{ changes: IRosterSyncChanges }>(
      this._settings,
      endpoint('v2', 'groups', course),
      { method: 'POST', form }
    );
    return r.changes;
  }

  async syncRosterGroups(course: string): Promise<IRosterSyncChanges> {
    const r = await requestAPI<{ changes: IRosterSyncChanges }>(
      this._settings,
      endpoint('v2', 'groups', course, 'sync'),
      { method: 'POST' }
    );
    return r.changes;
  }

  async unfollowRosterGroups(course: string): Promise<void> {
    await requestAPI(this._settings, endpoint('v2', 'groups', course), { method: 'DELETE' });
  }

  async feedbackOverview(course: string): Promise<IFeedbackArrivalRecord[]> {
    const r = await requestAPI<{ feedback: IFeedbackArrivalRecord[] }>(
      this._settings,
      endpoint('v2', 'feedback', course)
    );
    return r.feedback ?? [];
  }

  async getHistory(course: string, query: IHistoryQuery = {}): Promise<IHistoryPageRecord> {
    const r = await requestAPI<IHistoryPageRecord>(
      this._settings,
      endpoint('v2', 'history', course),
      {
        query: historyParams(query)
      }
    );
    return { events: r.events ?? [], next_before: r.next_before ?? null };
  }

  async historyCsv(course: string, query: IHistoryQuery = {}): Promise<string> {
    const r = await requestAPI<{ text: string }>(
      this._settings,
      endpoint('v2', 'history', course),
      {
        query: { ...historyParams(query), format: 'csv' },
        asText: true
      }
    );
    return r.text;
  }

  async publishVersion(
    course: string,
    assignment: string,
    files: IUploadFile[]
  ): Promise<IVersionChangesRecord> {
    const r = await requestAPI<IVersionChangesRecord>(
      this._settings,
      endpoint('v2', 'versions', course, assignment),
      { method: 'POST', form: { files: JSON.stringify(files) } }
    );
    return {
      version: r.version,
      added: r.added ?? [],
      changed: r.changed ?? [],
      removed: r.removed ?? []
    };
  }

  async courseVersions(course: string): Promise<ICourseVersionRecord[]> {
    const r = await requestAPI<{ assignments: ICourseVersionRecord[] }>(
      this._settings,
      endpoint('v2', 'versions', course)
    );
    return r.assignments ?? [];
  }

  async listVersions(course: string, assignment: string): Promise<IVersionListRecord> {
    const r = await requestAPI<IVersionListRecord>(
      this._settings,
      endpoint('v2', 'versions', course, assignment)
    );
    return { current: r.current, fetched: r.fetched ?? null, versions: r.versions ?? [] };
  }

  async getVersion(
    course: string,
    assignment: string,
    version: number,
    listOnly = false,
    onProgress?: (loaded: number, total: number) => void
  ): Promise<IWireFile[]> {
    const r = await requestAPI<{ files: IWireFile[] }>(
      this._settings,
      endpoint('v2', 'versions', course, assignment, String(version)),
      { query: { list_only: listOnly ? 'true' : 'false' }, onDownloadProgress: onProgress }
    );
    return r.files ?? [];
  }

  async listReceipts(course: string): Promise<IReceiptRecord[]> {
    const r = await requestAPI<{ receipts: IReceiptRecord[] }>(
      this._settings,
      endpoint('v2', 'receipts', course)
    );
    return r.receipts ?? [];
  }

  async listDeadlines(course: string): Promise<IDeadlineRecord[]> {
    const r = await requestAPI<{ deadlines: IDeadlineRecord[] }>(
      this._settings,
      endpoint('v2', 'deadlines', course)
    );
    return r.deadlines ?? [];
  }

  async getDeadline(course: string, assignment: string): Promise<IAssignmentDeadlineRecord> {
    const r = await requestAPI<IAssignmentDeadlineRecord>(
      this._settings,
      endpoint('v2', 'deadline', course, assignment)
    );
    return {
      deadline: r.deadline ?? null,
      extensions: r.extensions ?? [],
      submissions: r.submissions ?? []
    };
  }

  async setDeadline(
    course: string,
    assignment: string,
    due: string,
    hard: boolean
  ): Promise<IDeadlineRecord> {
    const r = await requestAPI<{ deadline: IDeadlineRecord }>(
      this._settings,
      endpoint('v2', 'deadline', course, assignment),
      { method: 'POST', form: { due, hard: hard ? 'true' : 'false' } }
    );
    return r.deadline;
  }

  async clearDeadline(course: string, assignment: string): Promise<void> {
    await requestAPI(this._settings, endpoint('v2', 'deadline', course, assignment), {
      method: 'DELETE'
    });
  }

  async grantExtension(
    course: string,
    assignment: string,
    student: string,
    due: string
  ): Promise<IExtensionRecord> {
    const r = await requestAPI<{ extension: IExtensionRecord }>(
      this._settings,
      endpoint('v2', 'extension', course, assignment, student),
      { method: 'POST', form: { due } }
    );
    return r.extension;
  }

  async revokeExtension(course: string, assignment: string, student: string): Promise<void> {
    await requestAPI(this._settings, endpoint('v2', 'extension', course, assignment, student), {
      method: 'DELETE'
    });
  }
}

function pickPerson(r: Partial<IPerson>): IPerson {
  return {
    username: String(r.username ?? ''),
    first_name: r.first_name ?? null,
    last_name: r.last_name ?? null,
    email: r.email ?? null
  };
}

function historyParams(q: IHistoryQuery): Record<string, string | undefined> {
  return {
    action: q.action,
    assignment_id: q.assignment,
    user_id: q.student,
    before: q.before === undefined ? undefined : String(q.before),
    limit: q.limit === undefined ? undefined : String(q.limit)
  };
}
