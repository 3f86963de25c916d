/**
 * ngshare's lookup and permission helpers with their exact messages. The
 * parenthesised detail of "Permission denied" appears only in debug mode.
 */
import { forbidden, notFound } from '../errors';
import type { ExchangeStore } from '../store/exchange-store';
import type { AssignmentRow, CourseRow, MemberRow } from '../store/types';
import type { Identity } from './identity';

export class Access {
  constructor(private readonly debug: boolean) {}

  denied(detail: string): Error {
    return forbidden(this.debug ? `Permission denied (${detail})` : 'Permission denied');
  }

  requireAdmin(user: Identity): void {
    if (!user.isAdmin) {
      throw this.denied('not admin');
    }
  }

  async course(store: ExchangeStore, courseId: string): Promise<CourseRow> {
    const course = await store.findCourse(courseId);
    if (!course) {
      throw notFound('Course not found');
    }
    return course;
  }

  async requireInstructor(store: ExchangeStore, course: CourseRow, user: Identity): Promise<void> {
    if (user.isAdmin) {
      return;
    }
    const member = await store.findMember(course.pk, user.name);
    if (member?.role !== 'instructor') {
      throw this.denied('not course instructor');
    }
  }

  async requireMember(store: ExchangeStore, course: CourseRow, user: Identity): Promise<void> {
    if (user.isAdmin) {
      return;
    }
    if (!(await store.findMember(course.pk, user.name))) {
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

  /** ngshare's "course member" lookup: says "Student not found" for instructors too. */
  async member(store: ExchangeStore, course: CourseRow, userId: string): Promise<MemberRow> {
    const member = await store.findMember(course.pk, userId);
    if (!member) {
      throw notFound('Student not found');
    }
    return member;
  }
}
