/**
 * The extension's contract: plugin and command ids, settings shape, and the UI-facing model types.
 * Components import from here (types only), never from api/.
 */

export const PLUGIN_PREFIX = '@ngshare-ts/labextension';
/** The settings plugin id; its schema is schema/plugin.json. */
export const SETTINGS_PLUGIN_ID = `${PLUGIN_PREFIX}:plugin`;

export const CommandIDs = {
  openAssignments: 'ngshare:open-assignments',
  openCourses: 'ngshare:open-courses',
  openInstructor: 'ngshare:open-instructor',
  refreshAssignments: 'ngshare:refresh-assignments',
  checkConnection: 'ngshare:check-connection'
} as const;

/** Settings, as read from the registry (schema/plugin.json); defaults applied. */
export interface INgshareSettings {
  serviceUrl: string;
  username: string;
  assignmentRoot: string;
  pathIncludesCourse: boolean;
  courseDirectory: string;
  courseDirectories: Record<string, string>;
  ignore: string[];
  maxFileSizeKb: number;
  maxTotalSizeMb: number;
  strictSubmit: boolean;
}

export const DEFAULT_SETTINGS: INgshareSettings = {
  serviceUrl: '',
  username: '',
  assignmentRoot: '',
  pathIncludesCourse: false,
  courseDirectory: '{course}',
  courseDirectories: {},
  ignore: ['.ipynb_checkpoints', '*.pyc', '__pycache__', 'feedback', '.DS_Store'],
  maxFileSizeKb: 100000,
  maxTotalSizeMb: 60,
  strictSubmit: false
};

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * What kind of failure a problem is (src/vocabulary/problems.ts maps every failure to one):
 * - unreachable: no answer, or the hub/proxy answered 502/503 (the service is down);
 * - no-service: nothing answers at the service URL (a 404 page, not the service's JSON);
 * - timeout: the exchange (or the proxy in front of it) gave up waiting;
 * - login: the exchange did not accept the login token (401, sent to a login page);
 * - permission: the exchange refused the action for this user (403 "Permission denied");
 * - not-found: the exchange has no such course / assignment / submission (404 with a message);
 * - conflict: it already exists (409);
 * - too-large: the upload is over the exchange's size limit (413);
 * - server-error: the exchange failed (500 and other 5xx);
 * - bad-answer: an answer that is not the exchange's JSON (a login page, a broken proxy);
 * - closed: a hard deadline has passed, so the exchange refuses the submission (403);
 * - refused: any other refusal with the exchange's own words (400 ...);
 * - version: the exchange and this extension are different versions;
 * - local: not the exchange at all (files in the user's server, a check of the extension).
 */
export type ProblemKind =
  | 'unreachable'
  | 'no-service'
  | 'timeout'
  | 'login'
  | 'permission'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'closed'
  | 'server-error'
  | 'bad-answer'
  | 'refused'
  | 'version'
  | 'local';

/** A failure in words for the person in front of the screen, with the technical detail apart. */
export interface IProblem {
  kind: ProblemKind;
  /** What happened, in one short sentence. */
  summary: string;
  /** What to do about it ('' when there is nothing to do). */
  action: string;
  /** Whom to ask when that does not help ('' when nobody needs to be asked). */
  contact: string;
  /** Technical detail for the "Details" disclosure: HTTP status, URL, the exchange's message. */
  detail: string;
}

/** One list the UI shows, with its loading / error state. */
export interface ISection<T> {
  status: LoadStatus;
  items: T;
  error: IProblem | null;
}

export type Role = 'instructor' | 'student' | 'admin' | 'unknown';

export interface ICourseInfo {
  course: string;
  role: Role;
  /** Why the role could not be worked out (shown as the role's tooltip). */
  error?: string;
}

export interface IReleasedItem {
  course: string;
  assignment: string;
}

export interface IDownloadedItem {
  course: string;
  assignment: string;
  /** Folder of the local copy, relative to the Jupyter root. */
  path: string;
  /** Notebooks in the local copy, relative to the Jupyter root (nested ones too). */
  notebooks: string[];
  /** Set when the instructor published a version newer than the one fetched here. */
  update?: IUpdateNotice;
}

/** A newer version of a downloaded assignment exists (v2/versions). */
export interface IUpdateNotice {
  current: number;
  /** The version fetched here; null when unknown (then every differing file is kept as yours). */
  fetched: number | null;
}

/**
 * What "Get update" would do to a local copy. Nothing of the student's is overwritten: files
 * they have not changed since their fetch are updated in place, files they changed get the new
 * version beside them (`besideName`), files the new version dropped stay.
 */
export interface IUpdatePlan {
  course: string;
  assignment: string;
  /** Folder of the local copy, relative to the Jupyter root. */
  path: string;
  from: number | null;
  to: number;
  /** Not in the local copy (new in the version, or deleted here): written. */
  restore: string[];
  /** Unchanged here since the fetch, changed in the version: replaced. */
  replace: string[];
  /** Changed here and in the version: the new file written as `copy`, the student's kept. */
  beside: Array<{ path: string; copy: string }>;
  /** Removed by the version: the local files stay. */
  kept: string[];
  /** Already identical to the new version. */
  same: number;
}

/** What "Get update" wrote (paths relative to the local copy). */
export interface IUpdateResult {
  path: string;
  version: number;
  written: string[];
  /** Planned copies that already existed here (left as they are). */
  skipped: string[];
}

/**
 * none: no feedback on the service; available: on the service, not here; fetched: here and
 * identical; updated: here but the service has a different version.
 */
export type FeedbackState = 'none' | 'available' | 'fetched' | 'updated';

export interface ISubmissionInfo {
  timestamp: string;
  /** Against the due date that applied (deadline or extension); absent without a deadline. */
  lateness?: ILateness;
  feedback: FeedbackState;
  /** Local feedback folder (`<assignment>/feedback/<timestamp>`), when it exists. */
  feedbackPath: string | null;
  /** Local feedback files (html), relative to the Jupyter root. */
  feedbackFiles: string[];
  /** What the exchange holds of this submission (absent without ngshare-ts's v2 routes). */
  receipt?: IReceipt;
}

/** A submission receipt: the files the exchange holds, with sizes and checksums. */
export interface IReceipt {
  assignment: string;
  timestamp: string;
  files: Array<{ path: string; size: number; sha256: string }>;
  bytes: number;
  /** sha256 of `sha256sum`'s output for the files in path order (docs: student guide). */
  checksum: string;
}

/** One event of a course's history, as the History view shows it. */
export interface IHistoryEvent {
  id: number;
  /** UTC, the exchange's timestamp form. */
  at: string;
  actor: string;
  action: string;
  assignment: string | null;
  student: string | null;
  timestamp: string | null;
  files: number | null;
  bytes: number | null;
  checksum: string | null;
  detail: Record<string, unknown> | null;
}

/** The History view's state: a section of events, newest first, and whether older ones exist. */
export interface IHistoryState {
  /** false: the exchange keeps no history (ngshare 0.6). */
  supported: boolean;
  section: ISection<IHistoryEvent[]>;
  hasOlder: boolean;
  /** The action filter ('' for every action). */
  action: string;
}

export interface ISubmittedItem {
  course: string;
  assignment: string;
  /**
   * When the newest feedback for this assignment arrived (exchange timestamp, UTC); null when
   * there is none or the exchange cannot say (ngshare 0.6 has no v2 routes).
   */
  feedbackArrivedAt?: string | null;
  /** Oldest first, as nbgrader lists them. */
  submissions: ISubmissionInfo[];
}

export interface IPlannedFile {
  path: string;
  size: number;
}

/** What Submit will send, computed before asking the user. */
export interface ISubmissionPlan {
  course: string;
  assignment: string;
  /** Local folder, relative to the Jupyter root. */
  path: string;
  files: IPlannedFile[];
  totalSize: number;
  /** Paths left out by the ignore patterns. */
  ignored: string[];
  /** Files left out because they exceed the size limit. */
  tooLarge: IPlannedFile[];
  /** Released notebooks that are not in the local copy. */
  missing: string[];
  /** Local notebooks that were not released. */
  extra: string[];
  previousSubmissions: number;
  /** Why the submission cannot go ahead, or null. */
  blocked: string | null;
}

export interface IFetchResult {
  path: string;
  written: string[];
  skippedExisting: string[];
}

export interface IInstructorAssignment {
  assignment: string;
  /** On the service. */
  released: boolean;
  /** `release/<assignment>/` exists in the course directory. */
  local: boolean;
  submissionCount: number;
  studentsSubmitted: number;
  lastSubmission: string | null;
  /** Students whose latest submission has feedback on the service; null while counting. */
  feedbackCount: number | null;
}

export interface IPersonRow {
  username: string;
  first_name: string;
  last_name: string;
  email: string;
}

export interface IRoster {
  students: IPersonRow[];
  instructors: IPersonRow[];
  /**
   * The hub groups the roster follows: null when kept by hand, undefined when the exchange
   * cannot follow groups (ngshare 0.6, or not running under JupyterHub).
   */
  groups?: IRosterGroups | null;
}

/** What one sync of a roster from hub groups changed. */
export interface IRosterChanges {
  addedStudents: string[];
  removedStudents: string[];
  addedInstructors: string[];
  removedInstructors: string[];
  /** In the student group but instructors of the course. */
  skipped: string[];
}

export interface IRosterGroups {
  /** null: students are kept by hand */
  studentGroup: string | null;
  /** null: instructors are kept by hand */
  instructorGroup: string | null;
  /** Exchange timestamp of the latest sync. */
  syncedAt: string | null;
  lastChanges: IRosterChanges | null;
}

export type CellState = 'none' | 'submitted' | 'resubmitted' | 'collected' | 'feedback';

export interface IMatrixCell {
  state: CellState;
  /** All submission timestamps of this student for this assignment, oldest first. */
  timestamps: string[];
  /** Timestamp of the local collected copy (submitted/<s>/<a>/timestamp.txt). */
  collected: string | null;
  /** Lateness of each submission, keyed by its timestamp; absent without a deadline. */
  lateness?: Record<string, ILateness>;
}

export interface IMatrixRow {
  student: string;
  name: string;
  enrolled: boolean;
  cells: Record<string, IMatrixCell>;
}

export interface IMatrix {
  assignments: string[];
  rows: IMatrixRow[];
}

export interface IOutcome {
  student: string;
  status: 'collected' | 'updated' | 'skipped' | 'released' | 'failed';
  detail: string;
}

export interface IRosterCsvRow {
  line: number;
  student_id: string;
  first_name: string;
  last_name: string;
  email: string;
  error?: string;
}

export interface IImportPreview {
  adds: IRosterCsvRow[];
  updates: IRosterCsvRow[];
  unchanged: IRosterCsvRow[];
  invalid: IRosterCsvRow[];
  removals: string[];
}

export interface IImportResult {
  student: string;
  action: 'add' | 'update' | 'remove';
  success: boolean;
  message: string;
}

export interface ITransferState {
  label: string;
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
}

/**
 * Deadlines (ngshare-ts's v2 routes). Due dates are ISO 8601 in UTC as the exchange keeps them;
 * views show them in the viewer's time zone. Lateness follows nbgrader: a submission is late when
 * its timestamp is after the due date that applies to its student (deadline or extension).
 */
export interface IExtension {
  student: string;
  /** ISO 8601, UTC. */
  due: string;
}

export interface IDeadline {
  assignment: string;
  /** ISO 8601, UTC. */
  due: string;
  /** A hard deadline refuses later submissions; a soft one only marks them late. */
  hard: boolean;
  released: boolean;
  /** Instructors: every extension; students: their own, if any. */
  extensions: IExtension[];
}

/** One assignment's deadline as a student sees it. */
export interface IStudentDeadline {
  assignment: string;
  due: string;
  hard: boolean;
  /** The student's own extension (ISO 8601, UTC), or null. */
  extension: string | null;
  /** What applies to the student: the later of deadline and extension. */
  effectiveDue: string;
}

export interface ILateness {
  late: boolean;
  /** nbgrader's total_seconds_late: 0 when on time. */
  secondsLate: number;
  /** The due date that applied (ISO 8601, UTC). */
  due: string;
}

/** A deadline edit the exchange refused, shown by the assignment it was about. */
export interface IDeadlineError {
  assignment: string;
  problem: IProblem;
}
