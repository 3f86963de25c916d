/**
 * Wire types of the ngshare REST API (ngshare 0.6, served by ngshare-ts). Field names are exactly
 * the server's. Converted into UI models in src/models/; components never see these directly.
 */

/** One file of an "encoded directory tree" as the server returns it. */
export interface IWireFile {
  /** Path relative to the assignment / submission root, `/`-separated. */
  path: string;
  /** Lower-case hex MD5 of the raw bytes. */
  checksum: string;
  /** MIME-style base64 (line breaks included); absent with `list_only=true`. */
  content?: string;
}

/** One file to upload: base64 without line breaks. The server computes checksums itself. */
export interface IUploadFile {
  path: string;
  content: string;
}

export interface IPerson {
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

export interface ISubmissionRecord {
  student_id: string;
  timestamp: string;
}

export interface IBulkStudent {
  username: string;
  first_name: string;
  last_name: string;
  email: string;
}

export interface IBulkStatus {
  username: string;
  success: boolean;
  message?: string;
}

export interface IVersionInfo {
  version: string;
  name?: string;
  /** Optional: who the service thinks we are (when the token is sent and the service says so). */
  user?: string;
  /** Optional: whether we are an ngshare admin. */
  admin?: boolean;
}

/** Envelope of every answer: `success` plus the endpoint's fields, or `message` on failure. */
export interface IEnvelope {
  success: boolean;
  message?: string;
  [key: string]: unknown;
}

/**
 * ngshare-ts's own v2 deadline routes (docs/openapi.yaml, tag "deadlines"). Due dates are
 * ISO 8601 in UTC (`2026-12-05T17:00:00Z`); submission timestamps stay the exchange's own string.
 */
export interface IExtensionRecord {
  student_id: string;
  due: string;
}

export interface IDeadlineRecord {
  assignment_id: string;
  due: string;
  hard: boolean;
  /** Whether the assignment is released right now. */
  released: boolean;
  /** Instructors: every extension; students: their own, if any. */
  extensions: IExtensionRecord[];
}

/** What a roster sync from hub groups changed (ngshare-ts v2/groups). */
export interface IRosterSyncChanges {
  added_students: string[];
  removed_students: string[];
  added_instructors: string[];
  removed_instructors: string[];
  /** In the student group but instructors of the course. */
  skipped: string[];
}

/** The JupyterHub groups a roster follows (null group: that role is kept by hand). */
export interface IRosterGroupsRecord {
  student_group: string | null;
  instructor_group: string | null;
  synced_at: string | null;
  last_changes: IRosterSyncChanges | null;
}

/** When a student's newest feedback for one assignment arrived (ngshare-ts v2/feedback/<course>). */
export interface IFeedbackArrivalRecord {
  assignment_id: string;
  /** The submission the feedback belongs to. */
  timestamp: string;
  /** When that feedback was last uploaded, in the exchange's UTC timestamp form. */
  feedback_at: string;
}

/** nbgrader's lateness of one submission, as the service computes it at each request. */
export interface ILatenessRecord {
  student_id: string;
  timestamp: string;
  /** The due date that applies to this student (deadline or extension). */
  due: string;
  late: boolean;
  seconds_late: number;
}

export interface IAssignmentDeadlineRecord {
  deadline: { due: string; hard: boolean } | null;
  extensions: IExtensionRecord[];
  submissions: ILatenessRecord[];
}

/** One event of a course's history (v2/history), newest first in a page. */
export interface IHistoryEventRecord {
  id: number;
  course_id: string;
  /** UTC, the exchange's canonical timestamp form. */
  at: string;
  actor: string;
  action: string;
  assignment_id: string | null;
  student_id: string | null;
  /** The submission the event concerns. */
  timestamp: string | null;
  files: number | null;
  bytes: number | null;
  checksum: string | null;
  detail: Record<string, unknown> | null;
}

export interface IHistoryPageRecord {
  events: IHistoryEventRecord[];
  /** `before` for the next (older) page; null on the last one. */
  next_before: number | null;
}

export interface IHistoryQuery {
  action?: string;
  assignment?: string;
  student?: string;
  before?: number;
  limit?: number;
}

/** What a new version changed (v2/versions), by path. */
export interface IVersionChangesRecord {
  version: number;
  added: string[];
  changed: string[];
  removed: string[];
}

/** One assignment of `GET v2/versions/<course>`: its version and the caller's newest fetch. */
export interface ICourseVersionRecord {
  assignment_id: string;
  current: number;
  /** The newest version the caller fetched since the release; null: none known. */
  fetched: number | null;
}

/** One version of an assignment (v2/versions/<course>/<assignment>); `checksum`s are md5. */
export interface IAssignmentVersionRecord {
  version: number;
  released_at: string | null;
  released_by: string | null;
  files: Array<{ path: string; checksum: string }>;
  checksum: string;
  added: string[];
  changed: string[];
  removed: string[];
}

export interface IVersionListRecord {
  current: number;
  fetched: number | null;
  versions: IAssignmentVersionRecord[];
}

/** A submission receipt (v2/receipts): what the exchange holds, with checksums. */
export interface IReceiptRecord {
  assignment_id: string;
  timestamp: string;
  files: Array<{ path: string; size: number; md5: string; sha256: string }>;
  bytes: number;
  checksum: string;
}
