/**
 * A demo course for trying the service out (`--demo`, vngshare mode): one
 * instructor, two students and a released assignment, created only once.
 */
import type { Logger } from 'pino';
import { inMemoryFile, type UploadedFile } from './domain/file-tree';
import type { FileKeeper } from './services/file-keeper';
import type { ExchangeStore } from './store/exchange-store';

export const DEMO_COURSE = 'demo101';

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

export async function seedDemo(store: ExchangeStore, files: FileKeeper, logger: Logger) {
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
