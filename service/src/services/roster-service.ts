/** Instructors and students of a course, one by one and in bulk. */
import { hasLoneSurrogate, isUnusableId } from '../domain/ids';
import { badRequest, conflict, notFound } from '../errors';
import type { ExchangeStore } from '../store/exchange-store';
import type { MemberRow } from '../store/types';
import type { ServiceDeps } from './deps';
import { historyEvent } from './history-log';
import type { Identity } from './identity';

export interface PersonRecord {
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

export interface NameFields {
  first_name?: string;
  last_name?: string;
  email?: string;
}

export interface BulkStudent {
  username: string;
  first_name: string;
  last_name: string;
  email: string;
}

export type BulkStatus =
  { username: string; success: true } | { username: string; success: false; message: string };

const record = (m: MemberRow): PersonRecord => ({
  username: m.username,
  first_name: m.first_name,
  last_name: m.last_name,
  email: m.email
});

/** ngshare checks the three name fields in this order; empty strings are fine. */
function requireNames(names: NameFields): Required<NameFields> {
  if (names.first_name === undefined) {
    throw badRequest('Please supply first name');
  }
  if (names.last_name === undefined) {
    throw badRequest('Please supply last name');
  }
  if (names.email === undefined) {
    throw badRequest('Please supply email');
  }
  return names as Required<NameFields>;
}

export class RosterService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Roster changes go into the history with the change, in its transaction. */
  private recordRoster(
    tx: ExchangeStore,
    courseId: string,
    actor: string,
    action: 'roster_add' | 'roster_remove',
    role: 'student' | 'instructor',
    names: readonly string[]
  ): Promise<void> {
    const { clock, history } = this.deps;
    return history.write(
      tx,
      names.map(name =>
        historyEvent(clock, courseId, actor, action, { student_id: name, detail: { role } })
      )
    );
  }

  async getInstructor(user: Identity, courseId: string, target: string): Promise<PersonRecord> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    const member = await store.findMember(course.pk, target);
    if (member?.role !== 'instructor') {
      throw notFound('Instructor not found');
    }
    return record(member);
  }

  async putInstructor(
    user: Identity,
    courseId: string,
    target: string,
    names: NameFields
  ): Promise<void> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    await store.ensureUsers([target]); // committed before the checks below, as in ngshare
    const fields = requireNames(names);
    await store.transaction(async tx => {
      await lockCourse(tx, course.pk);
      const member = await tx.findMember(course.pk, target);
      if (member?.role !== 'instructor') {
        if (!user.isAdmin) {
          throw badRequest('Permission denied (cannot modify instructors)');
        }
        // Promotion drops the student record and its names, as in ngshare.
        if (member) {
          await tx.removeMember(course.pk, target);
          await this.recordRoster(tx, course.id, user.name, 'roster_remove', 'student', [target]);
        }
        await tx.addMember(course.pk, target, 'instructor', fields);
        await this.recordRoster(tx, course.id, user.name, 'roster_add', 'instructor', [target]);
      } else if (!user.isAdmin && target !== user.name) {
        throw badRequest('Permission denied (cannot modify other instructors)');
      } else {
        await tx.updateMemberNames(course.pk, target, fields);
      }
    });
  }

  async removeInstructor(user: Identity, courseId: string, target: string): Promise<void> {
    const { store, access } = this.deps;
    access.requireAdmin(user);
    const course = await access.course(store, courseId);
    const member = await store.findMember(course.pk, target);
    if (member?.role !== 'instructor') {
      throw notFound('Instructor not found');
    }
    await store.transaction(async tx => {
      await tx.removeMember(course.pk, target);
      await this.recordRoster(tx, course.id, user.name, 'roster_remove', 'instructor', [target]);
    });
  }

  async listInstructors(user: Identity, courseId: string): Promise<PersonRecord[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireMember(store, course, user);
    return (await store.listMembers(course.pk, 'instructor')).map(record);
  }

  async getStudent(user: Identity, courseId: string, target: string): Promise<PersonRecord> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructorOrSelf(store, course, user, target);
    const member = await store.findMember(course.pk, target);
    if (member?.role !== 'student') {
      throw notFound('Student not found');
    }
    return record(member);
  }

  async putStudent(
    user: Identity,
    courseId: string,
    target: string,
    names: NameFields
  ): Promise<void> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    let fields: ReturnType<typeof requireNames>;
    try {
      fields = requireNames(names);
    } catch (err) {
      await store.ensureUsers([target]); // ngshare commits the user before it checks the names
      throw err;
    }
    // One transaction, the user row included: a new student costs one commit.
    await store.transaction(async tx => {
      await lockCourse(tx, course.pk);
      const member = await tx.findMember(course.pk, target);
      if (member?.role === 'instructor') {
        throw conflict('Cannot add instructor as student');
      }
      if (member) {
        await tx.updateMemberNames(course.pk, target, fields);
      } else {
        await tx.ensureUsers([target]);
        await tx.addMember(course.pk, target, 'student', fields);
        await this.recordRoster(tx, course.id, user.name, 'roster_add', 'student', [target]);
      }
    });
  }

  async removeStudent(user: Identity, courseId: string, target: string): Promise<void> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    const member = await store.findMember(course.pk, target);
    if (member?.role !== 'student') {
      throw notFound('Student not found');
    }
    await store.transaction(async tx => {
      await tx.removeMember(course.pk, target);
      await this.recordRoster(tx, course.id, user.name, 'roster_remove', 'student', [target]);
    });
  }

  async listStudents(user: Identity, courseId: string): Promise<PersonRecord[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    return (await store.listMembers(course.pk, 'student')).map(record);
  }

  /** Bulk add or update; `status` is index-aligned with the input, duplicates processed in turn. */
  async putStudents(
    user: Identity,
    courseId: string,
    studentsRaw: string | undefined
  ): Promise<BulkStatus[]> {
    const { store, access } = this.deps;
    const course = await access.course(store, courseId, user);
    await access.requireInstructor(store, course, user);
    const students = parseStudents(studentsRaw);
    return store.transaction(async tx => {
      await lockCourse(tx, course.pk);
      await tx.ensureUsers(students.map(s => s.username));
      const roles = await tx.membersByUser(
        course.pk,
        students.map(s => s.username)
      );
      const status: BulkStatus[] = [];
      const added: string[] = [];
      for (const s of students) {
        const role = roles.get(s.username);
        if (role === 'instructor') {
          status.push({
            username: s.username,
            success: false,
            message: 'Cannot add instructor as student'
          });
          continue;
        }
        if (role === undefined) {
          await tx.addMember(course.pk, s.username, 'student');
          roles.set(s.username, 'student');
          added.push(s.username);
        }
        await tx.updateMemberNames(course.pk, s.username, {
          first_name: s.first_name,
          last_name: s.last_name,
          email: s.email
        });
        status.push({ username: s.username, success: true });
      }
      await this.recordRoster(tx, course.id, user.name, 'roster_add', 'student', added);
      return status;
    });
  }
}

/** Membership changes of one course run one at a time (and not after the course is deleted). */
async function lockCourse(tx: ExchangeStore, coursePk: number): Promise<void> {
  if (!(await tx.lockRow('courses', coursePk, 'update'))) {
    throw notFound('Course not found');
  }
}

function parseStudents(raw: string | undefined): BulkStudent[] {
  if (raw === undefined || raw === '') {
    throw badRequest('Please supply students');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('Students cannot be JSON decoded');
  }
  if (!Array.isArray(parsed)) {
    throw badRequest('Incorrect request format');
  }
  if (parsed.length === 0) {
    throw badRequest('Please supply students');
  }
  const fields = ['username', 'first_name', 'last_name', 'email'] as const;
  for (const entry of parsed) {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      Array.isArray(entry) ||
      !fields.every(f => typeof (entry as Record<string, unknown>)[f] === 'string') ||
      // Safer than ngshare: no blank usernames or control characters in them, no NUL anywhere
      isUnusableId((entry as BulkStudent).username) ||
      fields.some(
        f =>
          (entry as BulkStudent)[f].includes('\u0000') ||
          hasLoneSurrogate((entry as BulkStudent)[f])
      )
    ) {
      throw badRequest('Incorrect request format');
    }
  }
  return (parsed as BulkStudent[]).map(s => ({
    username: s.username,
    first_name: s.first_name,
    last_name: s.last_name,
    email: s.email
  }));
}
