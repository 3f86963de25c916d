/** Releasing, fetching and unreleasing assignments. */
import { conflict, notFound, UniqueViolation } from '../errors';
import type { FilesArgument } from '../domain/file-tree';
import { treeFacts } from '../domain/history';
import type { FileEntry } from './file-keeper';
import { historyEvent } from './history-log';
import type { ServiceDeps } from './deps';
import type { Identity } from './identity';

export class AssignmentsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(user: Identity, courseId: string): Promise<string[]> {
    const { store, access } = this.deps;
    const found = await store.findCourseAssignments(courseId, user.name);
    if (!found) {
      throw notFound('Course not found');
    }
    access.requireMembership(user, found.member);
    return found.assignmentIds;
  }

  async fetch(
    user: Identity,
    courseId: string,
    assignmentId: string,
    listOnly: boolean
  ): Promise<FileEntry[]> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const stored = await store.findAssignmentFiles(course.pk, assignmentId);
    if (!stored) {
      throw notFound('Assignment not found');
    }
    const answer = await files.render(stored, listOnly, true);
    if (!listOnly) {
      const { clock, history } = this.deps;
      history.later(
        historyEvent(clock, course.id, user.name, 'fetch', {
          assignment_id: assignmentId,
          ...treeFacts(stored)
        })
      );
    }
    return answer;
  }

  /** ngshare checks "already exists" before it looks at `files`. */
  async release(
    user: Identity,
    courseId: string,
    assignmentId: string,
    filesArg: FilesArgument
  ): Promise<void> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    if (await store.findAssignment(course.pk, assignmentId)) {
      throw conflict('Assignment already exists');
    }
    const tree = await filesArg();
    try {
      await files.storeWith(store, tree, async (tx, attach) => {
        if (!(await tx.lockRow('courses', course.pk, 'share'))) {
          throw notFound('Course not found'); // deleted meanwhile
        }
        const assignment = await tx.createAssignment(course.pk, assignmentId);
        await attach({ kind: 'assignment', pk: assignment.pk });
        await this.deps.history.write(tx, [
          historyEvent(this.deps.clock, course.id, user.name, 'release', {
            assignment_id: assignmentId,
            ...treeFacts(tree)
          })
        ]);
      });
    } catch (err) {
      if (err instanceof UniqueViolation) {
        throw conflict('Assignment already exists');
      }
      throw err;
    }
  }

  /** Deletes the assignment with every submission and all feedback (ngshare semantics). */
  async unrelease(user: Identity, courseId: string, assignmentId: string): Promise<void> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    await store.transaction(async tx => {
      const submissions = (await tx.listSubmissions(assignment.pk)).length;
      await tx.deleteAssignment(assignment.pk);
      await this.deps.history.write(tx, [
        historyEvent(this.deps.clock, course.id, user.name, 'unrelease', {
          assignment_id: assignmentId,
          detail: { submissions_deleted: submissions }
        })
      ]);
    });
    void files.collectGarbage(store);
  }
}
