/** Feedback files attached to one submission. */
import { badRequest, notFound } from '../errors';
import type { FilesArgument } from '../domain/file-tree';
import { formatTimestamp, parseFeedbackTimestamp } from '../domain/timestamps';
import type { CourseRow } from '../store/types';
import { treeFacts } from '../domain/history';
import type { StoredFile } from '../store/types';
import type { FileEntry } from './file-keeper';
import { historyEvent } from './history-log';
import type { ServiceDeps } from './deps';
import type { Identity } from './identity';

export class FeedbackService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Replaces the whole feedback set of one submission; `[]` clears it. */
  async upload(
    user: Identity,
    courseId: string,
    assignmentId: string,
    studentId: string,
    timestampArg: () => Promise<string | undefined>,
    filesArg: FilesArgument
  ): Promise<void> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    const { pk: submissionPk, timestamp } = await this.findCanonical(
      course,
      assignmentId,
      studentId,
      await timestampArg()
    );
    const tree = await filesArg();
    let detached: string[] = [];
    await files.storeWith(store, tree, async (tx, attach) => {
      // The update locks the submission's row first: concurrent replacements of one
      // submission's feedback run one after another, so the last one wins instead of their
      // files adding up.
      const at = tree.length > 0 ? formatTimestamp(this.deps.clock.now()) : null;
      if (!(await tx.setFeedbackTime(submissionPk, at))) {
        throw notFound('Submission not found');
      }
      detached = await tx.detachFiles({ kind: 'feedback', pk: submissionPk });
      await attach({ kind: 'feedback', pk: submissionPk });
      await this.deps.history.write(tx, [
        historyEvent(this.deps.clock, course.id, user.name, 'feedback_upload', {
          assignment_id: assignmentId,
          student_id: studentId,
          timestamp,
          ...treeFacts(tree)
        })
      ]);
    });
    void files.collectGarbage(store, detached);
  }

  async download(
    user: Identity,
    courseId: string,
    assignmentId: string,
    studentId: string,
    timestampRaw: string | undefined,
    listOnly: boolean
  ): Promise<{ files: FileEntry[]; timestamp: string }> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructorOrSelf(store, course, user, studentId);
    const canonical = await this.findCanonical(course, assignmentId, studentId, timestampRaw);
    const stored = await store.listFiles({ kind: 'feedback', pk: canonical.pk });
    const answer = await files.render(stored, listOnly);
    this.fetched(user, course, assignmentId, studentId, canonical.timestamp, stored, listOnly);
    return { files: answer, timestamp: canonical.timestamp };
  }

  /**
   * The feedback of a student's newest submission that has any, without its timestamp
   * (ngshare-ts v2): what a student wants after "new feedback has arrived".
   */
  async latest(
    user: Identity,
    courseId: string,
    assignmentId: string,
    studentId: string,
    listOnly: boolean
  ): Promise<{ files: FileEntry[]; timestamp: string; feedback_at: string }> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructorOrSelf(store, course, user, studentId);
    const assignment = await access.assignment(store, course, assignmentId);
    await access.member(store, course, studentId);
    const latest = await store.latestWithFeedback(assignment.pk, studentId);
    if (!latest) {
      throw notFound('No feedback yet');
    }
    const stored = await store.listFiles({ kind: 'feedback', pk: latest.pk });
    const answer = await files.render(stored, listOnly);
    this.fetched(user, course, assignmentId, studentId, latest.timestamp, stored, listOnly);
    return { files: answer, timestamp: latest.timestamp, feedback_at: latest.feedback_at };
  }

  /** A download of feedback files goes into the history (a listing does not). */
  private fetched(
    user: Identity,
    course: CourseRow,
    assignmentId: string,
    studentId: string,
    timestamp: string,
    stored: StoredFile[],
    listOnly: boolean
  ): void {
    if (listOnly || stored.length === 0) {
      return;
    }
    this.deps.history.later(
      historyEvent(this.deps.clock, course.id, user.name, 'feedback_fetch', {
        assignment_id: assignmentId,
        student_id: studentId,
        timestamp,
        ...treeFacts(stored)
      })
    );
  }

  /** For each assignment of a course, when the caller's newest feedback arrived. */
  async overview(
    user: Identity,
    courseId: string
  ): Promise<Array<{ assignment_id: string; timestamp: string; feedback_at: string }>> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    return store.feedbackOverview(course.pk, user.name);
  }

  /** Assignment, member, timestamp present, timestamp valid, submission: in ngshare's order. */
  private async findCanonical(
    course: CourseRow,
    assignmentId: string,
    studentId: string,
    timestampRaw: string | undefined
  ): Promise<{ pk: number; timestamp: string }> {
    // One query for the assignment, the student and the submission; the errors in ngshare's order.
    const timestamp = timestampRaw === undefined ? undefined : parseFeedbackTimestamp(timestampRaw);
    const { store, access } = this.deps;
    const found = await access.submissionOf(store, course, assignmentId, studentId, timestamp);
    if (timestampRaw === undefined) {
      throw badRequest('Please supply timestamp');
    }
    if (timestamp === undefined) {
      throw badRequest('Time format incorrect');
    }
    if (!found.submission) {
      throw notFound('Submission not found');
    }
    return found.submission;
  }
}
