/**
 * The role × endpoint permission matrix of ngshare (reference §2.4), with
 * and without debug mode. Roles on a seeded course: stu (student, and the
 * "self" of URLs that name stu), stu2 (another student), ins (instructor),
 * root (admin, not a member), out (member of nothing). Endpoints that change
 * state get a fresh course for every role.
 */
import { itConformsToOpenApi } from './test-support/openapi';
import { engines, startTestService, type TestService } from './test-support/harness';
import {
  b64,
  client,
  expectError,
  expectOk,
  filesOf,
  seedCourse,
  type Client,
  type SeededCourse
} from './test-support/client';
import type { Response } from 'supertest';

type Role = 'stu' | 'stu2' | 'ins' | 'root' | 'out';
const ROLES: Role[] = ['stu', 'stu2', 'ins', 'root', 'out'];

/** ok: 200 success; a string: denied with that permission detail; or another exact error. */
type Outcome = 'ok' | { denied: string } | { status: number; message: string };

interface Row {
  endpoint: string;
  /** Changes state: every role gets a fresh course. */
  fresh?: boolean;
  run(api: Client, as: Role, s: SeededCourse): Promise<Response>;
  expect: Partial<Record<Role, Outcome>> & { otherwise: Outcome };
}

const NAMES = { first_name: 'F', last_name: 'L', email: 'e' };
const FILES = filesOf([['x.ipynb', b64('x')]]);
const notAdmin = { denied: 'not admin' };
const notInstructor = { denied: 'not course instructor' };
const notRelated = { denied: 'not related to course' };

const MATRIX: Row[] = [
  {
    endpoint: 'POST course',
    run: (api, as) => api.post(`/api/course/new-${as}`, as),
    expect: { root: 'ok', otherwise: notAdmin }
  },
  {
    endpoint: 'DELETE course',
    fresh: true,
    run: (api, as, s) => api.del(`/api/course/${s.course}`, as),
    expect: { root: 'ok', otherwise: notAdmin }
  },
  {
    endpoint: 'POST instructor (self)',
    fresh: true,
    run: (api, as, s) => api.post(`/api/instructor/${s.course}/${as}`, as, NAMES),
    expect: {
      ins: 'ok',
      root: 'ok',
      otherwise: notInstructor
    }
  },
  {
    endpoint: 'POST instructor (another instructor)',
    run: (api, as, s) => api.post(`/api/instructor/${s.course}/ins2`, as, NAMES),
    expect: {
      ins: { status: 400, message: 'Permission denied (cannot modify other instructors)' },
      root: 'ok',
      otherwise: notInstructor
    }
  },
  {
    endpoint: 'POST instructor (a student)',
    fresh: true,
    run: (api, as, s) => api.post(`/api/instructor/${s.course}/stu2`, as, NAMES),
    expect: {
      ins: { status: 400, message: 'Permission denied (cannot modify instructors)' },
      root: 'ok',
      otherwise: notInstructor
    }
  },
  {
    endpoint: 'GET instructor',
    run: (api, as, s) => api.get(`/api/instructor/${s.course}/ins`, as),
    expect: { out: notRelated, otherwise: 'ok' }
  },
  {
    endpoint: 'GET instructors',
    run: (api, as, s) => api.get(`/api/instructors/${s.course}`, as),
    expect: { out: notRelated, otherwise: 'ok' }
  },
  {
    endpoint: 'DELETE instructor',
    fresh: true,
    run: (api, as, s) => api.del(`/api/instructor/${s.course}/ins2`, as),
    expect: { root: 'ok', otherwise: notAdmin }
  },
  {
    endpoint: 'POST student',
    run: (api, as, s) => api.post(`/api/student/${s.course}/new-${as}`, as, NAMES),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'POST student (oneself)',
    run: (api, as, s) => api.post(`/api/student/${s.course}/${as}`, as, NAMES),
    expect: {
      ins: { status: 409, message: 'Cannot add instructor as student' },
      root: 'ok',
      otherwise: notInstructor
    }
  },
  {
    endpoint: 'DELETE student',
    fresh: true,
    run: (api, as, s) => api.del(`/api/student/${s.course}/stu`, as),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'GET students',
    run: (api, as, s) => api.get(`/api/students/${s.course}`, as),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'POST students',
    run: (api, as, s) =>
      api.post(`/api/students/${s.course}`, as, {
        students: JSON.stringify([{ username: `bulk-${as}`, ...NAMES }])
      }),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'GET student (stu)',
    run: (api, as, s) => api.get(`/api/student/${s.course}/stu`, as),
    expect: { stu: 'ok', ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'GET assignments',
    run: (api, as, s) => api.get(`/api/assignments/${s.course}`, as),
    expect: { out: notRelated, otherwise: 'ok' }
  },
  {
    endpoint: 'GET assignment',
    run: (api, as, s) => api.get(`/api/assignment/${s.course}/a1`, as),
    expect: { out: notRelated, otherwise: 'ok' }
  },
  {
    endpoint: 'POST assignment',
    run: (api, as, s) => api.post(`/api/assignment/${s.course}/new-${as}`, as, { files: FILES }),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'DELETE assignment',
    fresh: true,
    run: (api, as, s) => api.del(`/api/assignment/${s.course}/a1`, as),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'GET submissions (all)',
    run: (api, as, s) => api.get(`/api/submissions/${s.course}/a1`, as),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'GET submissions (stu)',
    run: (api, as, s) => api.get(`/api/submissions/${s.course}/a1/stu`, as),
    expect: { stu: 'ok', ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'POST submission',
    run: (api, as, s) => api.post(`/api/submission/${s.course}/a1`, as, { files: FILES }),
    expect: { out: notRelated, otherwise: 'ok' }
  },
  {
    endpoint: 'GET submission (stu)',
    run: (api, as, s) => api.get(`/api/submission/${s.course}/a1/stu`, as),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'POST feedback (stu)',
    run: (api, as, s) =>
      api.post(`/api/feedback/${s.course}/a1/stu`, as, { timestamp: s.timestamp, files: FILES }),
    expect: { ins: 'ok', root: 'ok', otherwise: notInstructor }
  },
  {
    endpoint: 'GET feedback (stu)',
    run: (api, as, s) =>
      api.get(`/api/feedback/${s.course}/a1/stu`, as, { timestamp: s.timestamp }),
    expect: { stu: 'ok', ins: 'ok', root: 'ok', otherwise: notInstructor }
  }
];

// Without debug only the messages change: that run needs one engine.
const RUNS = [...engines().map(engine => [engine, true] as const), ['sqlite', false] as const];

describe.each(RUNS)('permission matrix on %s, debug %s', (engine, debug) => {
  let svc: TestService;
  let api: Client;
  let shared: SeededCourse;
  let counter = 0;

  beforeAll(async () => {
    svc = await startTestService({ engine, debug, admins: ['root'] });
    api = client(svc);
    shared = await seedCourse(api, 'shared');
    await seedCourse(api, 'other'); // so that "out" is not the only non-member with courses
    expectOk(await api.post('/api/student/other/out', 'ins', NAMES));
  });
  afterAll(() => svc.close());

  const deniedMessage = (detail: string) =>
    debug ? `Permission denied (${detail})` : 'Permission denied';

  for (const row of MATRIX) {
    it(row.endpoint, async () => {
      for (const role of ROLES) {
        const outcome = row.expect[role] ?? row.expect.otherwise;
        // A refused request changes nothing, so only successes need a course of their own.
        const s =
          row.fresh && outcome === 'ok' ? await seedCourse(api, `fresh${++counter}`) : shared;
        const res = await row.run(api, role, s);
        const label = `${row.endpoint} as ${role}`;
        if (outcome === 'ok') {
          expectOk(res, label);
        } else if ('denied' in outcome) {
          expectError(res, 403, deniedMessage(outcome.denied), label);
        } else {
          expectError(res, outcome.status, outcome.message, label);
        }
      }
    });
  }

  it('GET courses: members see their own courses, admins every course', async () => {
    const courses = async (as: string) => expectOk(await api.get('/api/courses', as)).courses;
    const all = await courses('root');
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['other', 'shared']));
    expect(await courses('stu2')).toEqual(expect.arrayContaining(['other', 'shared']));
    expect(await courses('out')).toEqual(['other']);
    expect(await courses('nobody')).toEqual([]);
  });

  it('an admin who is not a member can submit but not list their own submissions (ngshare quirk)', async () => {
    const s = await seedCourse(api, `adm${++counter}`);
    const ts = expectOk(
      await api.post(`/api/submission/${s.course}/a1`, 'root', { files: FILES })
    ).timestamp;
    const all = expectOk(await api.get(`/api/submissions/${s.course}/a1`, 'ins')).submissions;
    expect(all).toContainEqual({ student_id: 'root', timestamp: ts });
    expectError(
      await api.get(`/api/submissions/${s.course}/a1/root`, 'root'),
      404,
      'Student not found'
    );
    expectError(
      await api.get(`/api/submission/${s.course}/a1/root`, 'ins'),
      404,
      'Student not found'
    );
  });

  it('a removed student: submissions still listed, per-student lookups say "Student not found"', async () => {
    const s = await seedCourse(api, `rm${++counter}`);
    expectOk(await api.del(`/api/student/${s.course}/stu`, 'ins'));
    const all = expectOk(await api.get(`/api/submissions/${s.course}/a1`, 'ins')).submissions;
    expect(all).toEqual([{ student_id: 'stu', timestamp: s.timestamp }]);
    expectError(
      await api.get(`/api/submission/${s.course}/a1/stu`, 'ins'),
      404,
      'Student not found'
    );
    expectError(
      await api.get(`/api/submissions/${s.course}/a1/stu`, 'stu'),
      404,
      'Student not found'
    );
    expectError(
      await api.post(`/api/submission/${s.course}/a1`, 'stu', { files: FILES }),
      403,
      deniedMessage('not related to course')
    );
  });

  it('an admin promoting a student drops the student record and its names', async () => {
    const s = await seedCourse(api, `promo${++counter}`);
    expectOk(await api.post(`/api/instructor/${s.course}/stu`, 'root', NAMES));
    const students = expectOk(await api.get(`/api/students/${s.course}`, 'ins')).students;
    expect(students.map((x: { username: string }) => x.username)).toEqual(['stu2']);
    const me = expectOk(await api.get(`/api/instructor/${s.course}/stu`, 'stu'));
    expect(me).toEqual({
      success: true,
      username: 'stu',
      ...{ first_name: 'F', last_name: 'L', email: 'e' }
    });
    // Their submission is kept
    const all = expectOk(await api.get(`/api/submissions/${s.course}/a1`, 'stu')).submissions;
    expect(all).toHaveLength(1);
  });

  it('a removed instructor keeps their submissions; a re-created course starts empty', async () => {
    const s = await seedCourse(api, `cycle${++counter}`);
    const ts = expectOk(
      await api.post(`/api/submission/${s.course}/a1`, 'ins2', { files: FILES })
    ).timestamp;
    expectOk(await api.del(`/api/instructor/${s.course}/ins2`, 'root'));
    const all = expectOk(await api.get(`/api/submissions/${s.course}/a1`, 'ins')).submissions;
    expect(all).toContainEqual({ student_id: 'ins2', timestamp: ts });
    expectOk(await api.del(`/api/course/${s.course}`, 'root'));
    expectOk(await api.post(`/api/course/${s.course}`, 'root', { instructors: '["ins"]' }));
    expect(expectOk(await api.get(`/api/assignments/${s.course}`, 'ins')).assignments).toEqual([]);
    expect(expectOk(await api.get(`/api/students/${s.course}`, 'ins')).students).toEqual([]);
    expect(
      expectOk(await api.get(`/api/instructors/${s.course}`, 'ins')).instructors.map(
        (i: { username: string }) => i.username
      )
    ).toEqual(['ins']);
    expect(expectOk(await api.get('/api/courses', 'stu')).courses).not.toContain(s.course);
  });

  it('the creator of a course does not become its instructor', async () => {
    expectOk(await api.post(`/api/course/solo${++counter}`, 'root'));
    const list = expectOk(await api.get(`/api/instructors/solo${counter}`, 'root')).instructors;
    expect(list).toEqual([]);
    expect(expectOk(await api.get('/api/courses', 'ins')).courses).not.toContain(`solo${counter}`);
  });
});

itConformsToOpenApi();
