/** Submitting, listing and collecting submissions. */
import { notFound, UniqueViolation } from '../errors';
import type { FilesArgument } from '../domain/file-tree';
import { canonicalToMicros, formatTimestamp, parseFeedbackTimestamp } from '../domain/timestamps';
import type { ExchangeStore } from '../store/exchange-store';
import { closedByDeadline, type DeadlinesService } from './deadlines-service';
import { treeFacts } from '../domain/history';
import type { FileEntry } from './file-keeper';
import { historyEvent } from './history-log';
import type { ServiceDeps } from './deps';
import type { Identity } from './identity';

export interface SubmissionEntry {
  student_id: string;
  timestamp: string;
}

const MAX_TIMESTAMP_RETRIES = 5;

export class SubmissionsService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Hard deadlines refuse late submissions; absent: no deadlines are enforced. */
    private readonly deadlines?: DeadlinesService
  ) {}

  async listAll(
    user: Identity,
    courseId: string,
    assignmentId: string
  ): Promise<SubmissionEntry[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    return (await store.listSubmissions(assignment.pk)).map(toEntry);
  }

  async listFor(
    user: Identity,
    courseId: string,
    assignmentId: string,
    studentId: string
  ): Promise<SubmissionEntry[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructorOrSelf(store, course, user, studentId);
    const assignment = await access.assignment(store, course, assignmentId);
    await access.member(store, course, studentId);
    return (await store.listSubmissions(assignment.pk, studentId)).map(toEntry);
  }

  /** Always a new submission; returns its timestamp, unique and increasing per student. */
  async submit(
    user: Identity,
    courseId: string,
    assignmentId: string,
    filesArg: FilesArgument
  ): Promise<string> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    const hardDue = await this.deadlines?.hardDueFor(store, course, assignmentId, user);
    const nowText = formatTimestamp(this.deps.clock.now());
    if (hardDue !== undefined && nowText > hardDue) {
      throw closedByDeadline(assignmentId, hardDue); // before the upload is read
    }
    const tree = await filesArg();
    for (let attempt = 1; ; attempt++) {
      try {
        return await files.storeWith(store, tree, async (tx, attach) => {
          const start = await tx.submissionStart(assignment.pk, user.name);
          if (!start) {
            throw notFound('Assignment not found'); // unreleased meanwhile
          }
          if (user.isAdmin) {
            // members have a user row already (course_members refers to it); admins need not
            await tx.ensureUsers([user.name]);
          }
          const timestamp = this.nextTimestamp(start.latest);
          if (hardDue !== undefined && timestamp > hardDue) {
            throw closedByDeadline(assignmentId, hardDue); // the upload outlasted the deadline
          }
          const { version } = start;
          const submission = await tx.createSubmission(
            assignment.pk,
            user.name,
            timestamp,
            version
          );
          await attach({ kind: 'submission', pk: submission.pk });
          await this.deps.history.write(tx, [
            historyEvent(this.deps.clock, course.id, user.name, 'submit', {
              assignment_id: assignmentId,
              student_id: user.name,
              timestamp,
              ...treeFacts(tree),
              detail: { version }
            })
          ]);
          return timestamp;
        });
      } catch (err) {
        // Another replica took the same microsecond for this student: take the next one.
        if (!(err instanceof UniqueViolation) || attempt >= MAX_TIMESTAMP_RETRIES) {
          throw err;
        }
      }
    }
  }

  async download(
    user: Identity,
    courseId: string,
    assignmentId: string,
    studentId: string,
    timestamp: string,
    listOnly: boolean
  ): Promise<{ files: FileEntry[]; timestamp: string }> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    // One query for the assignment, the student and the submission at `timestamp`.
    const found = await access.submissionOf(
      store,
      course,
      assignmentId,
      studentId,
      timestamp === '' ? undefined : timestamp
    );
    const submission =
      timestamp === ''
        ? await store.latestSubmission(found.assignmentPk, studentId)
        : (found.submission ??
          (await this.findByParsedTimestamp(store, found.assignmentPk, studentId, timestamp)));
    if (!submission) {
      throw notFound('Submission not found');
    }
    const stored = await store.listFiles({ kind: 'submission', pk: submission.pk });
    const answer = await files.render(stored, listOnly);
    if (!listOnly) {
      this.deps.history.later(
        historyEvent(this.deps.clock, course.id, user.name, 'collect', {
          assignment_id: assignmentId,
          student_id: studentId,
          timestamp: submission.timestamp,
          ...treeFacts(stored)
        })
      );
    }
    return { files: answer, timestamp: submission.timestamp };
  }

  /** A superset of ngshare: `… UTC` and shorter fractions also find the submission. */
  private async findByParsedTimestamp(
    store: ExchangeStore,
    assignmentPk: number,
    studentId: string,
    timestamp: string
  ) {
    const canonical = parseFeedbackTimestamp(timestamp);
    return canonical === undefined
      ? undefined
      : store.findSubmission(assignmentPk, studentId, canonical);
  }

  /** Now, or just after the student's latest submission if the clock is behind it. */
  private nextTimestamp(latest: string | undefined): string {
    let micros = this.deps.clock.now();
    const latestMicros = latest ? canonicalToMicros(latest) : undefined;
    if (latestMicros !== undefined && micros <= latestMicros) {
      micros = latestMicros + 1n;
    }
    return formatTimestamp(micros);
  }
}

const toEntry = (row: { student_id: string; timestamp: string }): SubmissionEntry => ({
  student_id: row.student_id,
  timestamp: row.timestamp
});
