/**
 * Demo data for trying the service out (`--demo`, vngshare mode): course demo101 (instructor
 * "teacher", students "alice" and "bob", assignment ps1) and course demo202 (instructor "teacher",
 * student "alice", assignment lab1), each created only once. `npm start` adds the admin "admin",
 * who can create courses; demoUrls() lists what to try.
 */
import type { Logger } from 'pino';
import { inMemoryFile, type UploadedFile } from './domain/file-tree';
import type { FileKeeper } from './services/file-keeper';
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

export async function seedDemo(store: ExchangeStore, files: FileKeeper, logger: Logger) {
  await seedSecondCourse(store, files, logger);
  if (await store.findCourse(DEMO_COURSE)) {
    return;
  }
  await files.storeWith(
    store,
    [file('ps1.ipynb', notebook), file('data/numbers.csv', 'a,b\n1,2\n3,4\n')],
    async (tx, attach) => {
      const course = await tx.createCourse(DEMO_COURSE);
      await tx.ensureUsers(['teacher', 'alice', 'bob']);
      await tx.addMember(course.pk, 'teacher', 'instructor', {
        first_name: 'Tess',
        last_name: 'Teacher',
        email: 'teacher@example.org'
      });
      await tx.addMember(course.pk, 'alice', 'student', {
        first_name: 'Alice',
        last_name: 'Able',
        email: 'alice@example.org'
      });
      await tx.addMember(course.pk, 'bob', 'student', {
        first_name: 'Bob',
        last_name: 'Baker',
        email: 'bob@example.org'
      });
      const assignment = await tx.createAssignment(course.pk, 'ps1');
      await attach({ kind: 'assignment', pk: assignment.pk });
    }
  );
  logger.info(
    { course: DEMO_COURSE, instructor: 'teacher', students: ['alice', 'bob'] },
    'demo course created'
  );
}

async function seedSecondCourse(store: ExchangeStore, files: FileKeeper, logger: Logger) {
  if (await store.findCourse(DEMO_COURSE_2)) {
    return;
  }
  await files.storeWith(
    store,
    [file('lab1.ipynb', notebook.replace('Problem set 1', 'Lab 1'))],
    async (tx, attach) => {
      const course = await tx.createCourse(DEMO_COURSE_2);
      await tx.ensureUsers(['teacher', 'alice']);
      await tx.addMember(course.pk, 'teacher', 'instructor', {
        first_name: 'Tess',
        last_name: 'Teacher',
        email: 'teacher@example.org'
      });
      await tx.addMember(course.pk, 'alice', 'student', {
        first_name: 'Alice',
        last_name: 'Able',
        email: 'alice@example.org'
      });
      const assignment = await tx.createAssignment(course.pk, 'lab1');
      await attach({ kind: 'assignment', pk: assignment.pk });
    }
  );
  logger.info(
    { course: DEMO_COURSE_2, instructor: 'teacher', students: ['alice'] },
    'demo course created'
  );
}
