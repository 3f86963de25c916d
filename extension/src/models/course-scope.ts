import type { INgshareClient } from '../api';
import type { ContentsBridge } from '../files';
import type { IProblem } from '../tokens';
import type { ITrans } from './i18n';
import type { TaskRunner } from './task';

/**
 * What the instructor's per-concern models (roster, submissions) share with the course they
 * belong to (models/instructor.ts): the service, the files, one task runner (so every busy
 * button reads one place) and the selected course.
 */
export interface ICourseScope {
  readonly client: INgshareClient;
  readonly files: ContentsBridge;
  readonly trans: ITrans;
  readonly tasks: TaskRunner;
  /** The selected course; throws "No course selected." without one. */
  requireCourse(): string;
  /** The course directory, relative to the Jupyter root. */
  courseDir(course?: string): string;
  problem(err: unknown): IProblem;
}

export const CONCURRENCY = 4;
