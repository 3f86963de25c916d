/**
 * Demo data for trying the service out (`--demo`, vngshare mode): course demo101 (instructor
 * "teacher", students "alice" and "bob", assignment ps1) and course demo202 (instructor "teacher",
 * student "alice", assignment lab1), each created only once. `npm start` adds the admin "admin",
 * who can create courses; demoUrls() lists what to try. The course history records the seeding
 * (course, roster, release) as if the teacher had done it, so the History view has a start.
 */
import type { Logger } from 'pino';
import { inMemoryFile, type UploadedFile } from './domain/file-tree';
import { treeFacts } from './domain/history';
import { MicrosecondClock } from './domain/timestamps';
import type { FileKeeper } from './services/file-keeper';
import { historyEvent } from './services/history-log';
import type { ExchangeStore } from './store/exchange-store';

export const DEMO_COURSE = 'demo101';
export const DEMO_COURSE_2 = 'demo202';

const notebook = JSON.stringify(
  {
    cells: [
      {
        cell_type: 'markdown',
        metadata: {},
        source: ['# Problem set 1\n', 'Write a function `add(a, b)` that returns the sum.']
      },
      {
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: ['def add(a, b):\n', '    # YOUR CODE HERE\n', '    raise NotImplementedError()']
      }
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  },
  null,
  1
);

const file = (path: string, text: string): UploadedFile => inMemoryFile(path, Buffer.from(text));

/** The URLs to try in the demo, for the start-up banner. `base` ends with a slash. */
export function demoUrls(base: string, admins: readonly string[]): string[] {
  const admin = admins[0];
  return [
    `Home page (instructor):   ${base}?user=teacher`,
    `Courses of a student:     ${base}courses?user=alice`,
    `Assignments of demo101:   ${base}assignments/${DEMO_COURSE}?user=teacher`,
    `Students of demo202:      ${base}students/${DEMO_COURSE_2}?user=teacher`,
    admin
      ? `Admin page:               ${base}admin?user=${encodeURIComponent(admin)}`
      : 'Admin page:               none: pass --admins NAME to have an admin',
    admin
      ? `Create a course (admin):  curl -X POST '${base}course/new101?user=${encodeURIComponent(admin)}'`
      : ''
  ].filter(line => line !== '');
}

interface DemoPerson {
  user: string;
  role: 'instructor' | 'student';
  first_name: string;
  last_name: string;
}

const TEACHER: DemoPerson = {
  user: 'teacher',
  role: 'instructor',
  first_name: 'Tess',
  last_name: 'Teacher'
};
const ALICE: DemoPerson = {
  user: 'alice',
  role: 'student',
  first_name: 'Alice',
  last_name: 'Able'
};
const BOB: DemoPerson = { user: 'bob', role: 'student', first_name: 'Bob', last_name: 'Baker' };

export async function seedDemo(store: ExchangeStore, files: FileKeeper, logger: Logger) {
  const clock = new MicrosecondClock();
  await seedCourse(store, files, logger, clock, DEMO_COURSE_2, [TEACHER, ALICE], 'lab1', [
    file('lab1.ipynb', notebook.replace('Problem set 1', 'Lab 1'))
  ]);
  await seedCourse(store, files, logger, clock, DEMO_COURSE, [TEACHER, ALICE, BOB], 'ps1', [
    file('ps1.ipynb', notebook),
    file('data/numbers.csv', 'a,b\n1,2\n3,4\n')
  ]);
}

/** One course with its people and one released assignment, once (kept when it exists). */
async function seedCourse(
  store: ExchangeStore,
  files: FileKeeper,
  logger: Logger,
  clock: MicrosecondClock,
  courseId: string,
  people: DemoPerson[],
  assignmentId: string,
  tree: UploadedFile[]
) {
  if (await store.findCourse(courseId)) {
    return;
  }
  const actor = TEACHER.user;
  await files.storeWith(store, tree, async (tx, attach) => {
    const course = await tx.createCourse(courseId);
    await tx.ensureUsers(people.map(p => p.user));
    for (const p of people) {
      await tx.addMember(course.pk, p.user, p.role, {
        first_name: p.first_name,
        last_name: p.last_name,
        email: `${p.user}@example.org`
      });
    }
    const assignment = await tx.createAssignment(course.pk, assignmentId);
    await attach({ kind: 'assignment', pk: assignment.pk });
    await tx.appendHistory([
      historyEvent(clock, courseId, actor, 'course_create', {
        detail: { instructors: people.filter(p => p.role === 'instructor').map(p => p.user) }
      }),
      ...people.map(p =>
        historyEvent(clock, courseId, actor, 'roster_add', {
          student_id: p.user,
          detail: { role: p.role }
        })
      ),
      historyEvent(clock, courseId, actor, 'release', {
        assignment_id: assignmentId,
        ...treeFacts(tree)
      })
    ]);
  });
  logger.info(
    {
      course: courseId,
      instructor: actor,
      students: people.filter(p => p.role === 'student').map(p => p.user)
    },
    'demo course created'
  );
}
