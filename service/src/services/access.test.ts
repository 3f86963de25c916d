/**
 * The course lookup that reads the requester's membership with it: the permission checks that
 * follow use that membership instead of asking again, and only for the user it was read for.
 */
import type { ExchangeStore } from '../store/exchange-store';
import type { CourseRow, MemberRow } from '../store/types';
import { Access } from './access';
import type { Identity } from './identity';

/** A unit-test stand-in for the store: one course, a member table, and a log of calls. */
class CountingStore {
  calls: string[] = [];
  constructor(private readonly members: Record<string, MemberRow['role']>) {}
  private member(name: string): MemberRow | undefined {
    const role = this.members[name];
    return role
      ? { username: name, role, first_name: null, last_name: null, email: null }
      : undefined;
  }
  async findCourse(id: string): Promise<CourseRow | undefined> {
    this.calls.push(`findCourse ${id}`);
    return id === 'c1' ? { pk: 7, id } : undefined;
  }
  async findCourseWithMember(id: string, userId: string) {
    this.calls.push(`findCourseWithMember ${id} ${userId}`);
    return id === 'c1' ? { course: { pk: 7, id }, member: this.member(userId) } : undefined;
  }
  async findMember(coursePk: number, userId: string): Promise<MemberRow | undefined> {
    this.calls.push(`findMember ${coursePk} ${userId}`);
    return this.member(userId);
  }
}

const user = (name: string, isAdmin = false) => ({ name, isAdmin }) as Identity;

describe('Access', () => {
  const access = new Access(true);
  const setup = () => {
    const store = new CountingStore({ teacher: 'instructor', alice: 'student' });
    return { store, db: store as unknown as ExchangeStore };
  };

  it('checks the requester with the membership read alongside the course', async () => {
    const { store, db } = setup();
    const course = await access.course(db, 'c1', user('teacher'));
    await access.requireInstructor(db, course, user('teacher'));
    await access.requireMember(db, course, user('teacher'));
    expect(store.calls).toEqual(['findCourseWithMember c1 teacher']);
  });

  it('denies from that membership too: a student, and someone not in the course', async () => {
    const { store, db } = setup();
    const asAlice = await access.course(db, 'c1', user('alice'));
    await expect(access.requireInstructor(db, asAlice, user('alice'))).rejects.toThrow(
      'Permission denied (not course instructor)'
    );
    const asMallory = await access.course(db, 'c1', user('mallory'));
    await expect(access.requireMember(db, asMallory, user('mallory'))).rejects.toThrow(
      'Permission denied (not related to course)'
    );
    expect(store.calls).toEqual([
      'findCourseWithMember c1 alice',
      'findCourseWithMember c1 mallory'
    ]);
  });

  it('asks the store about anyone else, and says Course not found first', async () => {
    const { store, db } = setup();
    const course = await access.course(db, 'c1', user('alice'));
    await access.requireInstructor(db, course, user('teacher'));
    await expect(access.member(db, course, 'bob')).rejects.toThrow('Student not found');
    await expect(access.course(db, 'nope', user('alice'))).rejects.toThrow('Course not found');
    expect(store.calls).toEqual([
      'findCourseWithMember c1 alice',
      'findMember 7 teacher',
      'findMember 7 bob',
      'findCourseWithMember nope alice'
    ]);
  });

  it('does not read a membership for admins, nor without a viewer', async () => {
    const { store, db } = setup();
    const course = await access.course(db, 'c1', user('root', true));
    await access.requireInstructor(db, course, user('root', true));
    const plain = await access.course(db, 'c1');
    await access.requireMember(db, plain, user('alice'));
    expect(store.calls).toEqual(['findCourse c1', 'findCourse c1', 'findMember 7 alice']);
  });
  it('checks a membership read with something else (requireMembership)', () => {
    const student = { username: 'alice', role: 'student' } as MemberRow;
    expect(() => access.requireMembership(user('alice'), student)).not.toThrow();
    expect(() => access.requireMembership(user('root', true), undefined)).not.toThrow();
    expect(() => access.requireMembership(user('mallory'), undefined)).toThrow(
      'Permission denied (not related to course)'
    );
  });
});
