/** Rows as the services see them. */
import type { HistoryEvent } from '../domain/history';

export type Role = 'instructor' | 'student';

export interface CourseRow {
  pk: number;
  id: string;
}

export interface MemberRow {
  username: string;
  role: Role;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

export interface AssignmentRow {
  pk: number;
  id: string;
  course_pk: number;
}

export interface SubmissionRow {
  pk: number;
  student_id: string;
  timestamp: string;
}

export interface StoredFile {
  path: string;
  md5: string;
  sha256: string;
  size: number;
}

export interface NewFile {
  path: string;
  md5: string;
  sha256: string;
  size: number;
}

export type FileOwner =
  | { kind: 'assignment'; pk: number }
  | { kind: 'submission'; pk: number }
  | { kind: 'feedback'; pk: number }
  | { kind: 'version'; pk: number };

/** An assignment's deadline (UTC, canonical timestamp form). */
export interface DeadlineRow {
  assignment_id: string;
  due_at: string;
  hard: boolean;
}

export interface ExtensionRow {
  assignment_id: string;
  student_id: string;
  due_at: string;
}

/** A course whose roster follows hub groups (NULL: that role is kept by hand). */
export interface CourseGroupsRow {
  course_pk: number;
  student_group: string | null;
  instructor_group: string | null;
  synced_at: string | null;
  /** JSON of the latest sync's GroupSyncChanges */
  last_changes: string | null;
}

/** A published version of an assignment (version 1 may be implicit: see the migration). */
export interface VersionRow {
  pk: number;
  number: number;
  released_at: string | null;
  released_by: string | null;
}

/** A stored history event with its id (ids only grow). */
export interface HistoryRow extends HistoryEvent {
  id: number;
}

export interface HistoryFilter {
  courseId?: string;
  /** Only events this user did or that concern them (a student's own view). */
  concerning?: string;
  assignment_id?: string;
  student_id?: string;
  actor?: string;
  action?: string;
  beforeId?: number;
  limit: number;
}
