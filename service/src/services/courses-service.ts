/** Listing, creating and deleting courses. */
import { isUnusableId } from '../domain/ids';
import { badRequest, conflict, UniqueViolation } from '../errors';
import type { ServiceDeps } from './deps';
import { historyEvent } from './history-log';
import type { Identity } from './identity';

export class CoursesService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Admins see every course; others what they teach or take. Sorted by code point. */
  async list(user: Identity): Promise<string[]> {
    const { store } = this.deps;
    const ids = user.isAdmin ? await store.allCourseIds() : await store.courseIdsOf(user.name);
    return [...new Set(ids)].sort(compareCodePoints);
  }

  async create(
    user: Identity,
    courseId: string,
    instructorsRaw: string | undefined
  ): Promise<void> {
    const { store, access } = this.deps;
    access.requireAdmin(user);
    if (await store.findCourse(courseId)) {
      throw conflict('Course already exists');
    }
    const instructors = parseInstructors(instructorsRaw);
    try {
      await store.transaction(async tx => {
        const course = await tx.createCourse(courseId);
        await tx.ensureUsers(instructors);
        for (const name of instructors) {
          await tx.addMember(course.pk, name, 'instructor');
        }
        await this.deps.history.write(tx, [
          historyEvent(this.deps.clock, courseId, user.name, 'course_create', {
            detail: { instructors }
          })
        ]);
      });
    } catch (err) {
      if (err instanceof UniqueViolation) {
        throw conflict('Course already exists');
      }
      throw err;
    }
  }

  async remove(user: Identity, courseId: string): Promise<void> {
    const { store, access, files } = this.deps;
    access.requireAdmin(user);
    const course = await access.course(store, courseId);
    await store.transaction(async tx => {
      await tx.deleteCourse(course.pk);
      // the course's history stays: it is what an admin asks for after a deletion
      await this.deps.history.write(tx, [
        historyEvent(this.deps.clock, courseId, user.name, 'course_delete')
      ]);
    });
    void files.collectGarbage(store);
  }
}

/**
 * `instructors` is a JSON list of usernames. ngshare iterates any JSON value
 * (a string gives one instructor per character, an object its keys) and
 * crashes on numbers; here anything but a list of names is a 400.
 */
function parseInstructors(raw: string | undefined): string[] {
  if (raw === undefined) {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('Instructors cannot be JSON decoded');
  }
  if (!Array.isArray(parsed)) {
    throw badRequest('Instructors must be a JSON list of usernames');
  }
  const names: unknown[] = parsed;
  // Safer than ngshare: no blank names and no control characters in them.
  if (!names.every((n): n is string => typeof n === 'string' && !isUnusableId(n))) {
    throw badRequest('Instructors must be a JSON list of usernames');
  }
  if (new Set(names).size !== names.length) {
    throw badRequest('Instructors must not contain the same username twice');
  }
  return names;
}

export function compareCodePoints(a: string, b: string): number {
  // Python sorts str by code point; JS `<` compares UTF-16 units, which differs above U+FFFF.
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) {
      return d;
    }
  }
  return ca.length - cb.length;
}
