/**
 * ngshare's lookup and permission helpers with their exact messages. The
 * parenthesised detail of "Permission denied" appears only in debug mode.
 */
import { forbidden, notFound } from '../errors';
import type { ExchangeStore } from '../store/exchange-store';
import type { AssignmentRow, CourseRow, MemberRow, SubmissionRow } from '../store/types';
import type { Identity } from './identity';

export class Access {
  /**
   * The requesting user's membership, read with the course in one query (`course(…, viewer)`),
   * so that the permission check after it costs no second query. Keyed by the request's own
   * course row, so it lives as long as that request.
   */
  private readonly viewers = new WeakMap<CourseRow, { name: string; member?: MemberRow }>();

  constructor(private readonly debug: boolean) {}

  denied(detail: string): Error {
    return forbidden(this.debug ? `Permission denied (${detail})` : 'Permission denied');
  }

  requireAdmin(user: Identity): void {
    if (!user.isAdmin) {
      throw this.denied('not admin');
    }
  }

  /** The course, or 404; with `viewer`, also that user's membership for the checks below. */
  async course(store: ExchangeStore, courseId: string, viewer?: Identity): Promise<CourseRow> {
    if (viewer && !viewer.isAdmin) {
      const found = await store.findCourseWithMember(courseId, viewer.name);
      if (!found) {
        throw notFound('Course not found');
      }
      this.viewers.set(found.course, { name: viewer.name, member: found.member });
      return found.course;
    }
    const course = await store.findCourse(courseId);
    if (!course) {
      throw notFound('Course not found');
    }
    return course;
  }

  /** `userId`'s membership of `course`: the one read with the course if it is theirs. */
  async memberOf(
    store: ExchangeStore,
    course: CourseRow,
    userId: string
  ): Promise<MemberRow | undefined> {
    const known = this.viewers.get(course);
    return known?.name === userId ? known.member : store.findMember(course.pk, userId);
  }

  async requireInstructor(store: ExchangeStore, course: CourseRow, user: Identity): Promise<void> {
    if (user.isAdmin) {
      return;
    }
    const member = await this.memberOf(store, course, user.name);
    if (member?.role !== 'instructor') {
      throw this.denied('not course instructor');
    }
  }

  async requireMember(store: ExchangeStore, course: CourseRow, user: Identity): Promise<void> {
    if (!user.isAdmin && !(await this.memberOf(store, course, user.name))) {
      throw this.denied('not related to course');
    }
  }

  /** requireMember with the membership already read (`findCourseAssignments`). */
  requireMembership(user: Identity, member: MemberRow | undefined): void {
    if (!user.isAdmin && !member) {
      throw this.denied('not related to course');
    }
  }

  /** Instructors and admins, or the user named in the URL themself. */
  async requireInstructorOrSelf(
    store: ExchangeStore,
    course: CourseRow,
    user: Identity,
    target: string
  ): Promise<void> {
    if (user.name !== target) {
      await this.requireInstructor(store, course, user);
    }
  }

  async assignment(
    store: ExchangeStore,
    course: CourseRow,
    assignmentId: string
  ): Promise<AssignmentRow> {
    const assignment = await store.findAssignment(course.pk, assignmentId);
    if (!assignment) {
      throw notFound('Assignment not found');
    }
    return assignment;
  }

  /**
   * The assignment, the student's membership and (given a timestamp) their submission made then,
   * in one query; ngshare's 404s in its order ("Student not found" for instructors too).
   */
  async submissionOf(
    store: ExchangeStore,
    course: CourseRow,
    assignmentId: string,
    studentId: string,
    timestamp: string | undefined
  ): Promise<{ assignmentPk: number; submission?: SubmissionRow }> {
    const found = await store.findSubmissionOf(course.pk, assignmentId, studentId, timestamp);
    if (!found) {
      throw notFound('Assignment not found');
    }
    if (!found.member) {
      throw notFound('Student not found');
    }
    return found;
  }

  /** ngshare's "course member" lookup: says "Student not found" for instructors too. */
  async member(store: ExchangeStore, course: CourseRow, userId: string): Promise<MemberRow> {
    const member = await this.memberOf(store, course, userId);
    if (!member) {
      throw notFound('Student not found');
    }
    return member;
  }
}
