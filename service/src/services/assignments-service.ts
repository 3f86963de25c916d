/** Releasing, fetching and unreleasing assignments. */
import { conflict, notFound, UniqueViolation } from '../errors';
import type { FilesArgument } from '../domain/file-tree';
import type { FileEntry } from './file-keeper';
import type { ServiceDeps } from './deps';
import type { Identity } from './identity';

export class AssignmentsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(user: Identity, courseId: string): Promise<string[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId);
    await access.requireMember(store, course, user);
    return store.assignmentIds(course.pk);
  }

  async fetch(
    user: Identity,
    courseId: string,
    assignmentId: string,
    listOnly: boolean
  ): Promise<FileEntry[]> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId);
    await access.requireMember(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    return files.render(await store.listFiles({ kind: 'assignment', pk: assignment.pk }), listOnly);
  }

  /** ngshare checks "already exists" before it looks at `files`. */
  async release(
    user: Identity,
    courseId: string,
    assignmentId: string,
    filesArg: FilesArgument
  ): Promise<void> {
    const { store, access, files } = this.deps;
    const course = await access.course(store, courseId);
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
    const course = await access.course(store, courseId);
    await access.requireInstructor(store, course, user);
    const assignment = await access.assignment(store, course, assignmentId);
    await store.deleteAssignment(assignment.pk);
    void files.collectGarbage(store);
  }
}
