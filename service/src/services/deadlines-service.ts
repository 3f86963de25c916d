/**
 * Deadlines and per-student extensions (issue 14; not part of ngshare v1).
 * Lateness is computed when asked, never stored, so a changed deadline or a
 * new extension re-marks every submission at once (nbgrader#723).
 */
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { canonicalToIso, effectiveDue, parseDueDate, secondsLate } from '../domain/deadlines';
import type { ExchangeStore } from '../store/exchange-store';
import type { CourseRow, DeadlineRow, ExtensionRow } from '../store/types';
import type { HistoryAction } from '../domain/history';
import type { ServiceDeps } from './deps';
import { historyEvent } from './history-log';
import type { Identity } from './identity';

export interface DeadlineEntry {
  assignment_id: string;
  /** ISO 8601, UTC. */
  due: string;
  hard: boolean;
  /** Whether the assignment is released right now. */
  released: boolean;
  /** Instructors: every extension; students: their own, if any. */
  extensions: Array<{ student_id: string; due: string }>;
}

export interface LatenessEntry {
  student_id: string;
  timestamp: string;
  /** The due date that applies to this student (deadline or extension), ISO 8601 UTC. */
  due: string;
  late: boolean;
  seconds_late: number;
}

export interface AssignmentDeadline {
  deadline: { due: string; hard: boolean } | null;
  extensions: Array<{ student_id: string; due: string }>;
  submissions: LatenessEntry[];
}

const toExtension = (row: ExtensionRow) => ({
  student_id: row.student_id,
  due: canonicalToIso(row.due_at)
});

/** `hard` as ngshare reads booleans elsewhere: the exact words true and false. */
function parseHard(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false') {
    return false;
  }
  if (value === 'true') {
    return true;
  }
  throw badRequest('hard must be true or false');
}

function requireDue(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw badRequest('Missing argument due');
  }
  const parsed = parseDueDate(value);
  if ('problem' in parsed) {
    throw badRequest(`due ${parsed.problem}`);
  }
  return parsed.due;
}

export class DeadlinesService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Deadline changes go into the history in their own transaction. */
  private record(
    tx: ExchangeStore,
    courseId: string,
    actor: string,
    action: HistoryAction,
    assignmentId: string,
    { student_id, ...detail }: { student_id?: string; [key: string]: unknown } = {}
  ): Promise<void> {
    return this.deps.history.write(tx, [
      historyEvent(this.deps.clock, courseId, actor, action, {
        assignment_id: assignmentId,
        student_id: student_id ?? null,
        detail: Object.keys(detail).length > 0 ? detail : null
      })
    ]);
  }

  /** Is this caller exempt from hard deadlines (instructors and admins submit to test)? */
  private async isStaff(store: ExchangeStore, course: CourseRow, user: Identity) {
    return user.isAdmin || (await store.findMember(course.pk, user.name))?.role === 'instructor';
  }

  async list(user: Identity, courseId: string): Promise<DeadlineEntry[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const staff = await this.isStaff(store, course, user);
    const released = new Set(await store.assignmentIds(course.pk));
    const extensions = await store.listExtensions(course.pk, staff ? {} : { studentId: user.name });
    return (await store.listDeadlines(course.pk))
      .filter(d => staff || released.has(d.assignment_id))
      .map(d => ({
        assignment_id: d.assignment_id,
        due: canonicalToIso(d.due_at),
        hard: d.hard,
        released: released.has(d.assignment_id),
        extensions: extensions.filter(e => e.assignment_id === d.assignment_id).map(toExtension)
      }));
  }

  /** A released assignment's deadline, extensions and the lateness of each submission. */
  async get(user: Identity, courseId: string, assignmentId: string): Promise<AssignmentDeadline> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    const staff = await this.isStaff(store, course, user);
    const [deadline] = await store.listDeadlines(course.pk, assignmentId);
    const extensions = await store.listExtensions(course.pk, {
      assignmentId,
      ...(staff ? {} : { studentId: user.name })
    });
    const submissions = await store.listSubmissions(assignment.pk, staff ? undefined : user.name);
    const extended = new Map(extensions.map(e => [e.student_id, e.due_at]));
    return {
      deadline: deadline ? { due: canonicalToIso(deadline.due_at), hard: deadline.hard } : null,
      extensions: extensions.map(toExtension),
      submissions: deadline
        ? submissions.map(s => {
            const due = effectiveDue(deadline.due_at, extended.get(s.student_id));
            const late = secondsLate(s.timestamp, due);
            return {
              student_id: s.student_id,
              timestamp: s.timestamp,
              due: canonicalToIso(due),
              late: late > 0,
              seconds_late: late
            };
          })
        : []
    };
  }

  async set(
    user: Identity,
    courseId: string,
    assignmentId: string,
    dueText: string | undefined,
    hardText: string | undefined
  ): Promise<DeadlineEntry> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    const due = requireDue(dueText);
    const hard = parseHard(hardText);
    await store.transaction(async tx => {
      await tx.putDeadline(course.pk, assignmentId, due, hard, user.name);
      await this.record(tx, course.id, user.name, 'deadline_set', assignmentId, {
        due: canonicalToIso(due),
        hard
      });
    });
    const released = (await store.findAssignment(course.pk, assignmentId)) !== undefined;
    const extensions = await store.listExtensions(course.pk, { assignmentId });
    return {
      assignment_id: assignmentId,
      due: canonicalToIso(due),
      hard,
      released,
      extensions: extensions.map(toExtension)
    };
  }

  async clear(user: Identity, courseId: string, assignmentId: string): Promise<void> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    await store.transaction(async tx => {
      if (!(await tx.deleteDeadline(course.pk, assignmentId))) {
        throw notFound('No deadline is set for this assignment');
      }
      await this.record(tx, course.id, user.name, 'deadline_clear', assignmentId);
    });
  }

  async extend(
    user: Identity,
    courseId: string,
    assignmentId: string,
    studentId: string,
    dueText: string | undefined
  ): Promise<{ student_id: string; due: string }> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    if ((await store.findMember(course.pk, studentId))?.role !== 'student') {
      throw notFound('Student not found');
    }
    const [deadline] = await store.listDeadlines(course.pk, assignmentId);
    if (!deadline) {
      throw conflict('Set a deadline for this assignment before granting an extension');
    }
    const due = requireDue(dueText);
    if (due <= deadline.due_at) {
      throw badRequest(
        `An extension must end after the deadline (${canonicalToIso(deadline.due_at)})`
      );
    }
    await store.transaction(async tx => {
      await tx.putExtension(course.pk, assignmentId, studentId, due, user.name);
      await this.record(tx, course.id, user.name, 'extension_set', assignmentId, {
        student_id: studentId,
        due: canonicalToIso(due)
      });
    });
    return { student_id: studentId, due: canonicalToIso(due) };
  }

  async revokeExtension(
    user: Identity,
    courseId: string,
    assignmentId: string,
    studentId: string
  ): Promise<void> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    await store.transaction(async tx => {
      if (!(await tx.deleteExtension(course.pk, assignmentId, studentId))) {
        throw notFound('No extension is set for this student');
      }
      await this.record(tx, course.id, user.name, 'extension_revoke', assignmentId, {
        student_id: studentId
      });
    });
  }

  /**
   * The hard due date that binds this caller, if any: students (and anyone else who is not
   * staff) under a hard deadline. The submit route checks it before reading the upload and
   * again against the submission's own timestamp.
   */
  async hardDueFor(
    store: ExchangeStore,
    course: CourseRow,
    assignmentId: string,
    user: Identity
  ): Promise<string | undefined> {
    const [deadline]: DeadlineRow[] = await store.listDeadlines(course.pk, assignmentId);
    if (!deadline?.hard || (await this.isStaff(store, course, user))) {
      return undefined;
    }
    const [extension] = await store.listExtensions(course.pk, {
      assignmentId,
      studentId: user.name
    });
    return effectiveDue(deadline.due_at, extension?.due_at);
  }
}

/** The refusal a late submission under a hard deadline gets (also through ngshare's v1 route). */
export function closedByDeadline(assignmentId: string, due: string): Error {
  return forbidden(
    `Submissions to ${assignmentId} closed at its hard deadline, ${canonicalToIso(due)} (UTC)`
  );
}
