/**
 * Rosters that follow JupyterHub groups (issue 14, item 4), by nbgrader's convention:
 * `nbgrader-<course>` holds the students, `formgrade-<course>` the instructors (both names can be
 * changed per course). A sync reads the groups with the service's own token (scope
 * `read:groups`), then, in one transaction on the course, adds the group members missing from
 * the roster and removes the members no longer in the group. Removing someone from a roster
 * keeps their submissions and feedback, as a manual removal does. Someone in both groups is an
 * instructor. Roles without a group are left as they are, so manual rosters keep working.
 */
import type { Logger } from 'pino';
import { badRequest, notFound } from '../errors';
import { formatTimestamp } from '../domain/timestamps';
import type { HubClient } from '../hub/hub-client';
import type { CourseGroupsRow, CourseRow } from '../store/types';
import type { ServiceDeps } from './deps';
import { historyEvent } from './history-log';
import type { Identity } from './identity';

export interface GroupSyncChanges {
  added_students: string[];
  removed_students: string[];
  added_instructors: string[];
  removed_instructors: string[];
  /** In the student group but instructors of the course: kept as instructors. */
  skipped: string[];
}

export interface CourseGroups {
  student_group: string | null;
  instructor_group: string | null;
  synced_at: string | null;
  last_changes: GroupSyncChanges | null;
}

/** Who the history says made a periodic sync's changes. */
export const PERIODIC_SYNC_ACTOR = '(periodic hub group sync)';

/** JupyterHub group names: its own rule is "no slash"; we also refuse blanks and control characters. */
// eslint-disable-next-line no-control-regex
const GROUP_NAME = /^[^/\x00-\x1f\x7f]{1,255}$/;

function groupName(raw: string | undefined, fallback: string | null, what: string): string | null {
  if (raw === undefined) {
    return fallback;
  }
  if (raw === '') {
    return null; // this role is kept by hand
  }
  if (!GROUP_NAME.test(raw) || raw.trim() !== raw) {
    throw badRequest(`Invalid ${what} group name`);
  }
  return raw;
}

function view(row: CourseGroupsRow | undefined): CourseGroups | null {
  return row
    ? {
        student_group: row.student_group,
        instructor_group: row.instructor_group,
        synced_at: row.synced_at,
        last_changes: row.last_changes ? (JSON.parse(row.last_changes) as GroupSyncChanges) : null
      }
    : null;
}

export class GroupRosterService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly hub: HubClient | null
  ) {}

  async get(user: Identity, courseId: string): Promise<CourseGroups | null> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    return view(await store.findCourseGroups(course.pk));
  }

  /**
   * Makes the course follow groups (defaults: nbgrader-<course>, formgrade-<course>; '' keeps a
   * role by hand) and syncs at once. Only admins may have instructors follow a group, as only
   * admins may add instructors.
   */
  async follow(
    user: Identity,
    courseId: string,
    studentRaw: string | undefined,
    instructorRaw: string | undefined
  ): Promise<{ groups: CourseGroups; changes: GroupSyncChanges }> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    this.requireHub();
    const studentGroup = groupName(studentRaw, `nbgrader-${course.id}`, 'student');
    const instructorGroup = groupName(
      instructorRaw,
      user.isAdmin ? `formgrade-${course.id}` : null,
      'instructor'
    );
    if (instructorGroup !== null && !user.isAdmin) {
      throw access.denied('only admins may have instructors follow a hub group');
    }
    if (studentGroup === null && instructorGroup === null) {
      throw badRequest('Name a student group, an instructor group or both');
    }
    const groups = { student_group: studentGroup, instructor_group: instructorGroup };
    await store.transaction(async tx => {
      await tx.putCourseGroups(course.pk, groups);
      await this.deps.history.write(tx, [
        historyEvent(this.deps.clock, course.id, user.name, 'groups_follow', { detail: groups })
      ]);
    });
    const changes = await this.syncCourse(course, user.name, groups);
    return { groups: view(await store.findCourseGroups(course.pk))!, changes };
  }

  /** Stops following; the roster stays as it is. */
  async unfollow(user: Identity, courseId: string): Promise<void> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    await store.transaction(async tx => {
      if (!(await tx.deleteCourseGroups(course.pk))) {
        throw notFound('Course does not follow hub groups');
      }
      await this.deps.history.write(tx, [
        historyEvent(this.deps.clock, course.id, user.name, 'groups_unfollow')
      ]);
    });
  }

  async sync(user: Identity, courseId: string): Promise<GroupSyncChanges> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    this.requireHub();
    const groups = await store.findCourseGroups(course.pk);
    if (!groups) {
      throw notFound('Course does not follow hub groups');
    }
    return this.syncCourse(course, user.name, groups);
  }

  /** The periodic sync: every following course, one after another; a failure is logged. */
  async syncAll(logger: Logger): Promise<void> {
    if (!this.hub) {
      return;
    }
    for (const row of await this.deps.store.listCourseGroups()) {
      try {
        const course = { pk: row.course_pk, id: row.course_id };
        const changes = await this.syncCourse(course, PERIODIC_SYNC_ACTOR, row);
        const changed = Object.values(changes).some(list => list.length > 0);
        if (changed) {
          logger.info({ course: row.course_id, ...changes }, 'roster synced from hub groups');
        }
      } catch (err) {
        logger.warn({ course: row.course_id, err }, 'could not sync roster from hub groups');
      }
    }
  }

  private requireHub(): HubClient {
    if (!this.hub) {
      throw badRequest(
        'Rosters from JupyterHub groups need ngshare to run as a JupyterHub service'
      );
    }
    return this.hub;
  }

  private async members(group: string | null): Promise<Set<string> | null> {
    if (group === null) {
      return null;
    }
    // a group the hub does not have (yet) is an empty one
    return new Set((await this.requireHub().groupMembers(group)) ?? []);
  }

  private async syncCourse(
    course: CourseRow,
    actor: string,
    row: Pick<CourseGroupsRow, 'student_group' | 'instructor_group'>
  ): Promise<GroupSyncChanges> {
    const { store, clock, history } = this.deps;
    const coursePk = course.pk;
    // the hub first, outside the transaction: it may be slow
    const [students, instructors] = await Promise.all([
      this.members(row.student_group),
      this.members(row.instructor_group)
    ]);
    const changes: GroupSyncChanges = {
      added_students: [],
      removed_students: [],
      added_instructors: [],
      removed_instructors: [],
      skipped: []
    };
    await store.ensureUsers([...(students ?? []), ...(instructors ?? [])]);
    await store.transaction(async tx => {
      if (!(await tx.lockRow('courses', coursePk, 'update'))) {
        throw notFound('Course not found');
      }
      const roles = new Map(
        [
          ...(await tx.listMembers(coursePk, 'instructor')),
          ...(await tx.listMembers(coursePk, 'student'))
        ].map(m => [m.username, m.role])
      );
      if (instructors) {
        for (const [name, role] of roles) {
          if (role === 'instructor' && !instructors.has(name)) {
            await tx.removeMember(coursePk, name);
            roles.delete(name);
            changes.removed_instructors.push(name);
          }
        }
        for (const name of [...instructors].sort()) {
          if (roles.get(name) !== 'instructor') {
            // a student made instructor loses the student record, as in ngshare
            if (roles.has(name)) {
              await tx.removeMember(coursePk, name);
            }
            await tx.addMember(coursePk, name, 'instructor');
            roles.set(name, 'instructor');
            changes.added_instructors.push(name);
          }
        }
      }
      if (students) {
        for (const [name, role] of roles) {
          if (role === 'student' && !students.has(name)) {
            await tx.removeMember(coursePk, name);
            roles.delete(name);
            changes.removed_students.push(name);
          }
        }
        for (const name of [...students].sort()) {
          const role = roles.get(name);
          if (role === 'instructor') {
            changes.skipped.push(name);
          } else if (role === undefined) {
            await tx.addMember(coursePk, name, 'student');
            roles.set(name, 'student');
            changes.added_students.push(name);
          }
        }
      }
      await tx.recordGroupSync(coursePk, formatTimestamp(clock.now()), JSON.stringify(changes));
      const event =
        (
          action: 'roster_add' | 'roster_remove',
          role: 'student' | 'instructor',
          group: string | null
        ) =>
        (name: string) =>
          historyEvent(clock, course.id, actor, action, {
            student_id: name,
            detail: { role, group }
          });
      await history.write(tx, [
        ...changes.removed_instructors.map(
          event('roster_remove', 'instructor', row.instructor_group)
        ),
        ...changes.added_instructors.map(event('roster_add', 'instructor', row.instructor_group)),
        ...changes.removed_students.map(event('roster_remove', 'student', row.student_group)),
        ...changes.added_students.map(event('roster_add', 'student', row.student_group))
      ]);
    });
    return changes;
  }
}
