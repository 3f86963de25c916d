/**
 * Every endpoint × every error message, in ngshare's order of checks
 * (reference §1.7). Each case breaks its own rule *and every later one*, so
 * the expected message proves which check runs first. Exact statuses and
 * messages; debug mode (the permission detail is in the message).
 */
import { randomBytes } from 'node:crypto';
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

const P = (detail: string) => `Permission denied (${detail})`;
const NAMES = { first_name: 'F', last_name: 'L', email: 'e@x' };
const BAD_FILES = filesOf([['/abs', 'amtsCg']]);
const GOOD_FILES = filesOf([['a.txt', b64('hi')]]);

interface Case {
  name: string;
  run: () => Promise<import('supertest').Response>;
  status: number;
  message: string;
}

describe.each(engines())('error precedence on %s', engine => {
  let svc: TestService;
  let api: Client;
  let s: SeededCourse;
  const c = '/api';

  beforeAll(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
    api = client(svc);
    s = await seedCourse(api, 'c1');
  });
  afterAll(() => svc.close());

  const table = (endpoint: string, cases: () => Case[]) =>
    it(`${endpoint}`, async () => {
      for (const k of cases()) {
        const res = await k.run();
        expectError(res, k.status, k.message, `${endpoint}: ${k.name}`);
      }
    });

  table('POST course', () => [
    {
      name: 'non-admin before "already exists" and bad instructors',
      run: () => api.post(`${c}/course/c1`, 'ins', { instructors: '[' }),
      status: 403,
      message: P('not admin')
    },
    {
      name: 'exists before bad instructors',
      run: () => api.post(`${c}/course/c1`, 'root', { instructors: '[' }),
      status: 409,
      message: 'Course already exists'
    },
    {
      name: 'instructors not JSON',
      run: () => api.post(`${c}/course/new`, 'root', { instructors: '"root"]' }),
      status: 400,
      message: 'Instructors cannot be JSON decoded'
    },
    {
      name: 'instructors empty string is not JSON',
      run: () => api.post(`${c}/course/new`, 'root', { instructors: '' }),
      status: 400,
      message: 'Instructors cannot be JSON decoded'
    },
    {
      name: 'a number (ngshare: 500)',
      run: () => api.post(`${c}/course/new`, 'root', { instructors: '5' }),
      status: 400,
      message: 'Instructors must be a JSON list of usernames'
    },
    {
      name: 'null (ngshare: 500)',
      run: () => api.post(`${c}/course/new`, 'root', { instructors: 'null' }),
      status: 400,
      message: 'Instructors must be a JSON list of usernames'
    },
    {
      name: 'non-string members (ngshare: 500)',
      run: () => api.post(`${c}/course/new`, 'root', { instructors: '["a", 1]' }),
      status: 400,
      message: 'Instructors must be a JSON list of usernames'
    },
    {
      name: 'a duplicate username (ngshare: 500)',
      run: () => api.post(`${c}/course/new`, 'root', { instructors: '["a", "a"]' }),
      status: 400,
      message: 'Instructors must not contain the same username twice'
    }
  ]);

  it('POST course: none of the refused creations left a course behind', async () => {
    expect(expectOk(await api.get(`${c}/courses`, 'root')).courses).toEqual(['c1']);
  });

  it('POST course: instructors must be a list; a JSON string or object is refused, not iterated as ngshare does', async () => {
    for (const instructors of ['"ab"', '{"x": 1, "y": 2}']) {
      const res = await api.post(`${c}/course/iter1`, 'root', { instructors });
      expect([res.status, res.body.message]).toEqual([
        400,
        'Instructors must be a JSON list of usernames'
      ]);
    }
    expect(expectOk(await api.get(`${c}/courses`, 'root')).courses).not.toContain('iter1');
  });

  it('POST course and POST students: names with a lone UTF-16 surrogate are refused, not stored as U+FFFD', async () => {
    const lone = '"ab\\ud800"';
    let res = await api.post(`${c}/course/sur1`, 'root', { instructors: `[${lone}]` });
    expect([res.status, res.body.message]).toEqual([
      400,
      'Instructors must be a JSON list of usernames'
    ]);
    res = await api.post(`${c}/students/c1`, 'ins', {
      students: `[{"username": ${lone}, "first_name": "", "last_name": "", "email": ""}]`
    });
    expect([res.status, res.body.message]).toEqual([400, 'Incorrect request format']);
    res = await api.post(`${c}/students/c1`, 'ins', {
      students: `[{"username": "ok1", "first_name": "\\udc00x", "last_name": "", "email": ""}]`
    });
    expect([res.status, res.body.message]).toEqual([400, 'Incorrect request format']);
  });

  table('DELETE course', () => [
    {
      name: 'non-admin before course lookup',
      run: () => api.del(`${c}/course/nope`, 'ins'),
      status: 403,
      message: P('not admin')
    },
    {
      name: 'unknown course',
      run: () => api.del(`${c}/course/nope`, 'root'),
      status: 404,
      message: 'Course not found'
    }
  ]);

  table('POST instructor', () => [
    {
      name: 'course first (outsider, no names)',
      run: () => api.post(`${c}/instructor/nope/ins`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'student is not an instructor',
      run: () => api.post(`${c}/instructor/c1/stu`, 'stu'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'outsider',
      run: () => api.post(`${c}/instructor/c1/out`, 'out', NAMES),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'first name before the role rules',
      run: () => api.post(`${c}/instructor/c1/stu`, 'ins', { last_name: 'L', email: 'e' }),
      status: 400,
      message: 'Please supply first name'
    },
    {
      name: 'last name',
      run: () => api.post(`${c}/instructor/c1/stu`, 'ins', { first_name: 'F', email: 'e' }),
      status: 400,
      message: 'Please supply last name'
    },
    {
      name: 'email',
      run: () => api.post(`${c}/instructor/c1/stu`, 'root', { first_name: 'F', last_name: 'L' }),
      status: 400,
      message: 'Please supply email'
    },
    {
      name: 'instructor may not promote a student',
      run: () => api.post(`${c}/instructor/c1/stu`, 'ins', NAMES),
      status: 400,
      message: 'Permission denied (cannot modify instructors)'
    },
    {
      name: 'instructor may not add a new instructor',
      run: () => api.post(`${c}/instructor/c1/zed`, 'ins', NAMES),
      status: 400,
      message: 'Permission denied (cannot modify instructors)'
    },
    {
      name: 'instructor may not edit another instructor',
      run: () => api.post(`${c}/instructor/c1/ins2`, 'ins', NAMES),
      status: 400,
      message: 'Permission denied (cannot modify other instructors)'
    }
  ]);

  table('GET instructor', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/instructor/nope/ins`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'non-member before instructor lookup',
      run: () => api.get(`${c}/instructor/c1/nobody`, 'out'),
      status: 403,
      message: P('not related to course')
    },
    {
      name: 'a student is not an instructor',
      run: () => api.get(`${c}/instructor/c1/stu`, 'stu'),
      status: 404,
      message: 'Instructor not found'
    },
    {
      name: 'admin, unknown user',
      run: () => api.get(`${c}/instructor/c1/nobody`, 'root'),
      status: 404,
      message: 'Instructor not found'
    }
  ]);

  table('DELETE instructor', () => [
    {
      name: 'admin check before course lookup',
      run: () => api.del(`${c}/instructor/nope/ins`, 'ins'),
      status: 403,
      message: P('not admin')
    },
    {
      name: 'unknown course',
      run: () => api.del(`${c}/instructor/nope/ins`, 'root'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'a student is not an instructor',
      run: () => api.del(`${c}/instructor/c1/stu`, 'root'),
      status: 404,
      message: 'Instructor not found'
    }
  ]);

  table('GET instructors', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/instructors/nope`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'non-member',
      run: () => api.get(`${c}/instructors/c1`, 'out'),
      status: 403,
      message: P('not related to course')
    }
  ]);

  table('POST student', () => [
    {
      name: 'course first',
      run: () => api.post(`${c}/student/nope/stu`, 'stu'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'student may not add students',
      run: () => api.post(`${c}/student/c1/stu3`, 'stu', NAMES),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'first name before the instructor rule',
      run: () => api.post(`${c}/student/c1/ins2`, 'ins', { last_name: '', email: '' }),
      status: 400,
      message: 'Please supply first name'
    },
    {
      name: 'last name',
      run: () => api.post(`${c}/student/c1/ins2`, 'ins', { first_name: '', email: '' }),
      status: 400,
      message: 'Please supply last name'
    },
    {
      name: 'email',
      run: () => api.post(`${c}/student/c1/ins2`, 'ins', { first_name: '', last_name: '' }),
      status: 400,
      message: 'Please supply email'
    },
    {
      name: 'an instructor cannot become a student',
      run: () => api.post(`${c}/student/c1/ins2`, 'ins', NAMES),
      status: 409,
      message: 'Cannot add instructor as student'
    },
    {
      name: 'not even by an admin',
      run: () => api.post(`${c}/student/c1/ins`, 'root', NAMES),
      status: 409,
      message: 'Cannot add instructor as student'
    }
  ]);

  table('GET student', () => [
    {
      name: 'course first, even for oneself',
      run: () => api.get(`${c}/student/nope/stu`, 'stu'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'outsider',
      run: () => api.get(`${c}/student/c1/stu`, 'out'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'a fellow student',
      run: () => api.get(`${c}/student/c1/stu`, 'stu2'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'outsider asking about themself passes the permission check',
      run: () => api.get(`${c}/student/c1/out`, 'out'),
      status: 404,
      message: 'Student not found'
    },
    {
      name: 'an instructor asking about themself',
      run: () => api.get(`${c}/student/c1/ins`, 'ins'),
      status: 404,
      message: 'Student not found'
    },
    {
      name: 'admin, unknown user',
      run: () => api.get(`${c}/student/c1/nobody`, 'root'),
      status: 404,
      message: 'Student not found'
    }
  ]);

  table('DELETE student', () => [
    {
      name: 'course first',
      run: () => api.del(`${c}/student/nope/stu`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'a student cannot remove themself',
      run: () => api.del(`${c}/student/c1/stu`, 'stu'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'an instructor is not a student',
      run: () => api.del(`${c}/student/c1/ins2`, 'ins'),
      status: 404,
      message: 'Student not found'
    }
  ]);

  table('GET students', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/students/nope`, 'stu'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'student',
      run: () => api.get(`${c}/students/c1`, 'stu'),
      status: 403,
      message: P('not course instructor')
    }
  ]);

  const students = (value: string) => ({ students: value });
  const full = { username: 'n1', first_name: 'a', last_name: 'b', email: 'c' };
  table('POST students', () => [
    {
      name: 'course first',
      run: () => api.post(`${c}/students/nope`, 'stu', students('"')),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'student',
      run: () => api.post(`${c}/students/c1`, 'stu', students('"')),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'absent',
      run: () => api.post(`${c}/students/c1`, 'ins'),
      status: 400,
      message: 'Please supply students'
    },
    {
      name: 'empty string',
      run: () => api.post(`${c}/students/c1`, 'ins', students('')),
      status: 400,
      message: 'Please supply students'
    },
    {
      name: 'not JSON',
      run: () => api.post(`${c}/students/c1`, 'ins', students('"')),
      status: 400,
      message: 'Students cannot be JSON decoded'
    },
    ...['12', '{}', '"abc"', 'null'].map(v => ({
      name: `not a list: ${v}`,
      run: () => api.post(`${c}/students/c1`, 'ins', students(v)),
      status: 400,
      message: 'Incorrect request format'
    })),
    {
      name: 'empty list',
      run: () => api.post(`${c}/students/c1`, 'ins', students('[]')),
      status: 400,
      message: 'Please supply students'
    },
    ...[
      '[1, 2]',
      '[null]',
      '[[]]',
      JSON.stringify([{ username: 'a', email: 'b', first_name: 'c' }]),
      JSON.stringify([{ ...full, email: 5 }]),
      JSON.stringify([{ ...full, username: null }]),
      JSON.stringify([full, { ...full, username: 'n2', last_name: undefined }])
    ].map(v => ({
      name: `bad entry: ${v}`,
      run: () => api.post(`${c}/students/c1`, 'ins', students(v)),
      status: 400,
      message: 'Incorrect request format'
    }))
  ]);

  it('POST students: a bad entry anywhere means nothing was added', async () => {
    const listed = expectOk(await api.get(`${c}/students/c1`, 'ins')).students;
    expect(listed.map((x: { username: string }) => x.username)).toEqual(['stu', 'stu2']);
  });

  table('GET assignments', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/assignments/nope`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'non-member',
      run: () => api.get(`${c}/assignments/c1`, 'out'),
      status: 403,
      message: P('not related to course')
    }
  ]);

  table('GET assignment', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/assignment/nope/nope`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'non-member before assignment lookup',
      run: () => api.get(`${c}/assignment/c1/nope`, 'out'),
      status: 403,
      message: P('not related to course')
    },
    {
      name: 'unknown assignment',
      run: () => api.get(`${c}/assignment/c1/nope`, 'stu'),
      status: 404,
      message: 'Assignment not found'
    },
    {
      name: 'ids are case-sensitive',
      run: () => api.get(`${c}/assignment/c1/A1`, 'stu'),
      status: 404,
      message: 'Assignment not found'
    }
  ]);

  table('POST assignment', () => [
    {
      name: 'course first',
      run: () => api.post(`${c}/assignment/nope/a1`, 'out', { files: BAD_FILES }),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'student',
      run: () => api.post(`${c}/assignment/c1/a1`, 'stu', { files: BAD_FILES }),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'already exists before files are looked at',
      run: () => api.post(`${c}/assignment/c1/a1`, 'ins'),
      status: 409,
      message: 'Assignment already exists'
    },
    {
      name: 'no files',
      run: () => api.post(`${c}/assignment/c1/a2`, 'ins'),
      status: 400,
      message: 'Please supply files'
    },
    {
      name: 'files not JSON',
      run: () => api.post(`${c}/assignment/c1/a2`, 'ins', { files: '[' }),
      status: 400,
      message: 'Files cannot be JSON decoded'
    },
    {
      name: 'files empty string',
      run: () => api.post(`${c}/assignment/c1/a2`, 'ins', { files: '' }),
      status: 400,
      message: 'Files cannot be JSON decoded'
    },
    {
      name: 'a malformed entry (ngshare: 500)',
      run: () =>
        api.post(`${c}/assignment/c1/a2`, 'ins', {
          files: JSON.stringify([1, { path: '/abs', content: '' }])
        }),
      status: 400,
      message: 'Files must be a JSON list of objects with string "path" and "content" fields'
    },
    {
      name: 'entries are checked one at a time: an illegal first path before a malformed second entry',
      run: () =>
        api.post(`${c}/assignment/c1/a2`, 'ins', {
          files: JSON.stringify([{ path: '/abs', content: '' }, 1])
        }),
      status: 400,
      message: 'Illegal path'
    },
    {
      name: 'the path before the content of the same entry',
      run: () =>
        api.post(`${c}/assignment/c1/a2`, 'ins', { files: JSON.stringify([{ path: '../x' }]) }),
      status: 400,
      message: 'Illegal path'
    },
    {
      name: 'bad content of the first entry before an illegal path in the second',
      run: () =>
        api.post(`${c}/assignment/c1/a2`, 'ins', {
          files: filesOf([
            ['ok.txt', 'amtsCg'],
            ['../x', '']
          ])
        }),
      status: 400,
      message: 'Content cannot be base64 decoded'
    },
    {
      name: 'an illegal first path before bad content in the second',
      run: () =>
        api.post(`${c}/assignment/c1/a2`, 'ins', {
          files: filesOf([
            ['../x', ''],
            ['ok.txt', 'amtsCg']
          ])
        }),
      status: 400,
      message: 'Illegal path'
    },
    {
      name: 'bad base64',
      run: () =>
        api.post(`${c}/assignment/c1/a2`, 'ins', {
          files: filesOf([
            ['ok.txt', 'amtsCg=='],
            ['b.txt', 'amtsCg']
          ])
        }),
      status: 400,
      message: 'Content cannot be base64 decoded'
    }
  ]);

  it('POST assignment: none of the refused releases created it', async () => {
    expect(expectOk(await api.get(`${c}/assignments/c1`, 'ins')).assignments).toEqual(['a1']);
  });

  table('DELETE assignment', () => [
    {
      name: 'course first',
      run: () => api.del(`${c}/assignment/nope/nope`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'student before assignment lookup',
      run: () => api.del(`${c}/assignment/c1/nope`, 'stu'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'unknown assignment',
      run: () => api.del(`${c}/assignment/c1/nope`, 'ins'),
      status: 404,
      message: 'Assignment not found'
    }
  ]);

  table('GET submissions (all)', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/submissions/nope/nope`, 'out'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'permission before assignment lookup',
      run: () => api.get(`${c}/submissions/c1/nope`, 'stu'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'unknown assignment',
      run: () => api.get(`${c}/submissions/c1/nope`, 'ins'),
      status: 404,
      message: 'Assignment not found'
    }
  ]);

  table('GET submissions (one student)', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/submissions/nope/nope/stu`, 'stu'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'another student, before assignment lookup',
      run: () => api.get(`${c}/submissions/c1/nope/stu`, 'stu2'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'oneself passes the permission check',
      run: () => api.get(`${c}/submissions/c1/nope/stu`, 'stu'),
      status: 404,
      message: 'Assignment not found'
    },
    {
      name: 'unknown target',
      run: () => api.get(`${c}/submissions/c1/a1/nobody`, 'ins'),
      status: 404,
      message: 'Student not found'
    },
    {
      name: 'an outsider asking about themself',
      run: () => api.get(`${c}/submissions/c1/a1/out`, 'out'),
      status: 404,
      message: 'Student not found'
    }
  ]);

  table('POST submission', () => [
    {
      name: 'course first',
      run: () => api.post(`${c}/submission/nope/nope`, 'out', { files: BAD_FILES }),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'non-member before assignment lookup',
      run: () => api.post(`${c}/submission/c1/nope`, 'out', { files: BAD_FILES }),
      status: 403,
      message: P('not related to course')
    },
    {
      name: 'unknown assignment before files',
      run: () => api.post(`${c}/submission/c1/nope`, 'stu', { files: BAD_FILES }),
      status: 404,
      message: 'Assignment not found'
    },
    {
      name: 'no files',
      run: () => api.post(`${c}/submission/c1/a1`, 'stu'),
      status: 400,
      message: 'Please supply files'
    },
    {
      name: 'files in the query do not count (body only)',
      run: () => api.post(`${c}/submission/c1/a1?files=${encodeURIComponent(GOOD_FILES)}`, 'stu'),
      status: 400,
      message: 'Please supply files'
    },
    {
      name: 'files not JSON',
      run: () => api.post(`${c}/submission/c1/a1`, 'stu', { files: 'a-random-string' }),
      status: 400,
      message: 'Files cannot be JSON decoded'
    },
    {
      name: 'illegal path before base64',
      run: () => api.post(`${c}/submission/c1/a1`, 'stu', { files: BAD_FILES }),
      status: 400,
      message: 'Illegal path'
    },
    {
      name: 'bad base64',
      run: () => api.post(`${c}/submission/c1/a1`, 'stu', { files: filesOf([['a', 'YQ=']]) }),
      status: 400,
      message: 'Content cannot be base64 decoded'
    }
  ]);

  table('GET submission (collect)', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/submission/nope/nope/stu`, 'stu'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'a student cannot download their own',
      run: () => api.get(`${c}/submission/c1/nope/stu`, 'stu'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'unknown assignment',
      run: () => api.get(`${c}/submission/c1/nope/nobody`, 'ins'),
      status: 404,
      message: 'Assignment not found'
    },
    {
      name: 'unknown student',
      run: () => api.get(`${c}/submission/c1/a1/nobody`, 'ins'),
      status: 404,
      message: 'Student not found'
    },
    {
      name: 'no submission yet',
      run: () => api.get(`${c}/submission/c1/a1/stu2`, 'ins'),
      status: 404,
      message: 'Submission not found'
    },
    {
      name: 'no such timestamp',
      run: () => api.get(`${c}/submission/c1/a1/stu`, 'ins', { timestamp: 'garbage' }),
      status: 404,
      message: 'Submission not found'
    },
    {
      name: 'a well-formed timestamp that does not exist',
      run: () =>
        api.get(`${c}/submission/c1/a1/stu`, 'ins', { timestamp: '2001-01-01 00:00:00.000000' }),
      status: 404,
      message: 'Submission not found'
    }
  ]);

  table('POST feedback', () => [
    {
      name: 'course first',
      run: () => api.post(`${c}/feedback/nope/nope/stu`, 'stu'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'student',
      run: () => api.post(`${c}/feedback/c1/nope/stu`, 'stu', { timestamp: s.timestamp }),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'unknown assignment',
      run: () => api.post(`${c}/feedback/c1/nope/nobody`, 'ins'),
      status: 404,
      message: 'Assignment not found'
    },
    {
      name: 'unknown student',
      run: () => api.post(`${c}/feedback/c1/a1/nobody`, 'ins'),
      status: 404,
      message: 'Student not found'
    },
    {
      name: 'no timestamp',
      run: () => api.post(`${c}/feedback/c1/a1/stu`, 'ins', { files: 'x' }),
      status: 400,
      message: 'Please supply timestamp'
    },
    {
      name: 'timestamp in the query does not count (body only)',
      run: () =>
        api.post(`${c}/feedback/c1/a1/stu?timestamp=${encodeURIComponent(s.timestamp)}`, 'ins', {
          files: '[]'
        }),
      status: 400,
      message: 'Please supply timestamp'
    },
    {
      name: 'bad timestamp',
      run: () => api.post(`${c}/feedback/c1/a1/stu`, 'ins', { timestamp: 'a', files: 'x' }),
      status: 400,
      message: 'Time format incorrect'
    },
    {
      name: 'unknown submission before files',
      run: () =>
        api.post(`${c}/feedback/c1/a1/stu`, 'ins', {
          timestamp: '2001-01-01 00:00:00.000000',
          files: 'x'
        }),
      status: 404,
      message: 'Submission not found'
    },
    {
      name: 'no files',
      run: () => api.post(`${c}/feedback/c1/a1/stu`, 'ins', { timestamp: s.timestamp }),
      status: 400,
      message: 'Please supply files'
    },
    {
      name: 'files in the query do not count (body only)',
      run: () =>
        api.post(`${c}/feedback/c1/a1/stu?files=${encodeURIComponent(GOOD_FILES)}`, 'ins', {
          timestamp: s.timestamp
        }),
      status: 400,
      message: 'Please supply files'
    },
    {
      name: 'files not JSON',
      run: () => api.post(`${c}/feedback/c1/a1/stu`, 'ins', { timestamp: s.timestamp, files: '{' }),
      status: 400,
      message: 'Files cannot be JSON decoded'
    },
    {
      name: 'illegal path',
      run: () =>
        api.post(`${c}/feedback/c1/a1/stu`, 'ins', { timestamp: s.timestamp, files: BAD_FILES }),
      status: 400,
      message: 'Illegal path'
    },
    {
      name: 'bad base64',
      run: () =>
        api.post(`${c}/feedback/c1/a1/stu`, 'ins', {
          timestamp: s.timestamp,
          files: filesOf([['a.html', 'a']])
        }),
      status: 400,
      message: 'Content cannot be base64 decoded'
    }
  ]);

  it('POST feedback: a refused upload keeps the previous feedback', async () => {
    const fb = expectOk(
      await api.get(`${c}/feedback/c1/a1/stu`, 'ins', { timestamp: s.timestamp })
    );
    expect(fb.files.map((f: { path: string }) => f.path)).toEqual(['a1.html']);
  });

  table('GET feedback', () => [
    {
      name: 'course first',
      run: () => api.get(`${c}/feedback/nope/nope/stu`, 'stu'),
      status: 404,
      message: 'Course not found'
    },
    {
      name: 'another student',
      run: () => api.get(`${c}/feedback/c1/nope/stu`, 'stu2'),
      status: 403,
      message: P('not course instructor')
    },
    {
      name: 'oneself passes; unknown assignment',
      run: () => api.get(`${c}/feedback/c1/nope/stu`, 'stu'),
      status: 404,
      message: 'Assignment not found'
    },
    {
      name: 'unknown student',
      run: () => api.get(`${c}/feedback/c1/a1/nobody`, 'ins'),
      status: 404,
      message: 'Student not found'
    },
    {
      name: 'no timestamp',
      run: () => api.get(`${c}/feedback/c1/a1/stu`, 'stu'),
      status: 400,
      message: 'Please supply timestamp'
    },
    {
      name: 'timestamp in the body does not count (query only)',
      run: () =>
        svc.request
          .get(`${c}/feedback/c1/a1/stu?user=ins`)
          .type('form')
          .send(new URLSearchParams({ timestamp: s.timestamp }).toString()),
      status: 400,
      message: 'Please supply timestamp'
    },
    {
      name: 'bad timestamp',
      run: () => api.get(`${c}/feedback/c1/a1/stu`, 'ins', { timestamp: 'a' }),
      status: 400,
      message: 'Time format incorrect'
    },
    {
      name: 'unknown submission',
      run: () => api.get(`${c}/feedback/c1/a1/stu2`, 'ins', { timestamp: s.timestamp }),
      status: 404,
      message: 'Submission not found'
    }
  ]);

  table('GET initialize-Data6ase (debug)', () => [
    {
      name: 'no action',
      run: () => api.get(`${c}/initialize-Data6ase`, 'stu'),
      status: 400,
      message: 'action should be clear, init, or dump'
    },
    {
      name: 'unknown action',
      run: () => api.get(`${c}/initialize-Data6ase`, 'stu', { action: 'walk' }),
      status: 400,
      message: 'action should be clear, init, or dump'
    },
    {
      name: 'init on a database with data (ngshare: 500)',
      run: () => api.get(`${c}/initialize-Data6ase`, 'stu', { action: 'init' }),
      status: 409,
      message: 'The database already has data; clear it first'
    }
  ]);

  table('vngshare identity', () => [
    {
      name: 'API routes need a user argument',
      run: () => svc.request.get(`${c}/courses`),
      status: 400,
      message: 'Missing argument user'
    },
    {
      name: 'also on POST',
      run: () => svc.request.post(`${c}/course/x`).type('form').send('instructors=[]'),
      status: 400,
      message: 'Missing argument user'
    }
  ]);

  it('pages default to the user "user" when no user argument is given', async () => {
    const home = await svc.request.get(`${c}/`);
    expect(home.status).toBe(200);
    expect(home.text.startsWith('<!doctype html>')).toBe(true);
    const dump = await svc.request.get(`${c}/initialize-Data6ase?action=dump`);
    expect(dump.status).toBe(200);
  });
});

describe.each(engines())('roster quirks kept from ngshare on %s', engine => {
  let svc: TestService;
  let api: Client;
  beforeAll(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
    api = client(svc);
    expectOk(await api.post('/api/course/q', 'root', { instructors: '["ins"]' }));
  });
  afterAll(() => svc.close());

  const usernames = async (list: 'students' | 'instructors') =>
    expectOk(await api.get(`/api/${list}/q`, 'root'))[list].map(
      (x: { username: string }) => x.username
    );

  it('bulk add: duplicates are processed twice (last wins), values are not stripped', async () => {
    const res = expectOk(
      await api.post('/api/students/q', 'ins', {
        students: JSON.stringify([
          { username: 'dup', first_name: 'one', last_name: '', email: '' },
          { username: 'other', first_name: 'o', last_name: '', email: '' },
          { username: 'dup', first_name: '  two  ', last_name: ' l ', email: 'e' }
        ])
      })
    );
    expect(res.status).toEqual([
      { username: 'dup', success: true },
      { username: 'other', success: true },
      { username: 'dup', success: true }
    ]);
    const list = expectOk(await api.get('/api/students/q', 'ins')).students;
    expect(list).toEqual([
      { username: 'dup', first_name: '  two  ', last_name: ' l ', email: 'e' },
      { username: 'other', first_name: 'o', last_name: '', email: '' }
    ]);
  });

  describe('blank ids and ids with control characters are refused (ngshare 0.6 stores them; PostgreSQL fails on NUL)', () => {
    it.each([
      ['POST', '/api/course/%20', 'Course id must not be blank'],
      ['POST', '/api/course/%09%20', 'Course id must not be blank'],
      ['GET', '/api/assignments/%20', 'Course id must not be blank'],
      ['POST', '/api/assignment/q/%20', 'Assignment id must not be blank'],
      ['POST', '/api/student/q/%20', 'User id must not be blank'],
      ['POST', '/api/instructor/q/%E2%80%83', 'User id must not be blank'],
      ['GET', '/api/submissions/q/%20/u', 'Assignment id must not be blank'],
      ['GET', '/api/submissions/q/a/%20', 'User id must not be blank'],
      ['POST', '/api/course/a%00b', 'Course id must not contain control characters'],
      ['GET', '/api/assignments/a%00b', 'Course id must not contain control characters'],
      ['POST', '/api/assignment/q/a%1Bb', 'Assignment id must not contain control characters'],
      ['POST', '/api/student/q/x%7F', 'User id must not contain control characters'],
      ['POST', `/api/course/${'%C3%BC'.repeat(513)}`, 'Course id is too long (at most 1024 bytes)'],
      ['POST', `/api/student/q/${'x'.repeat(1025)}`, 'User id is too long (at most 1024 bytes)']
    ])('%s %s: 400 "%s"', async (method, url, message) => {
      const res =
        method === 'POST'
          ? await api.post(url, 'root', { first_name: '', last_name: '', email: '', files: '[]' })
          : await api.get(url, 'root');
      expectError(res, 400, message);
    });

    it('in bulk lists and instructor lists too', async () => {
      for (const username of ['', ' ']) {
        expectError(
          await api.post('/api/students/q', 'ins', {
            students: JSON.stringify([{ username, first_name: '', last_name: '', email: '' }])
          }),
          400,
          'Incorrect request format'
        );
      }
      for (const entry of [
        { username: 'x\u0000', first_name: '', last_name: '', email: '' },
        { username: 'x\n', first_name: '', last_name: '', email: '' },
        { username: 'x', first_name: 'a\u0000', last_name: '', email: '' },
        { username: 'x', first_name: '', last_name: '', email: '\u0000' },
        { username: 'x'.repeat(1025), first_name: '', last_name: '', email: '' }
      ]) {
        expectError(
          await api.post('/api/students/q', 'ins', { students: JSON.stringify([entry]) }),
          400,
          'Incorrect request format',
          JSON.stringify(entry)
        );
      }
      for (const instructors of ['[""]', '["ok", " "]', '" a"', '["a\\u0000"]', '["a\\tb"]']) {
        expectError(
          await api.post('/api/course/blank-instr', 'root', { instructors }),
          400,
          'Instructors must be a JSON list of usernames'
        );
      }
    });

    it('a blank user argument is no user (vngshare)', async () => {
      expectError(await svc.request.get('/api/courses?user='), 400, 'Missing argument user');
      expectError(
        await svc.request.post('/api/course/x').type('form').send('user='),
        400,
        'Missing argument user'
      );
      expect((await svc.request.get('/api/?user=')).status).toBe(200);
    });

    it('an id of exactly 1024 bytes of random text works on every engine', async () => {
      const id = randomBytes(512).toString('hex');
      expectOk(await api.post(`/api/course/${id}`, 'root', { instructors: JSON.stringify([id]) }));
      expectOk(
        await api.post(`/api/student/${id}/${id.toUpperCase()}`, id, {
          first_name: '',
          last_name: '',
          email: ''
        })
      );
      expectOk(await api.post(`/api/assignment/${id}/${id}`, id, { files: '[]' }));
      expectOk(await api.post(`/api/submission/${id}/${id}`, id.toUpperCase(), { files: '[]' }));
      expectOk(await api.del(`/api/course/${id}`, 'root'));
    });

    it('ids with surrounding spaces are still distinct, untrimmed ids', async () => {
      expectOk(await api.post('/api/course/%20q', 'root'));
      expect(expectOk(await api.get('/api/courses', 'root')).courses).toEqual(
        expect.arrayContaining([' q', 'q'])
      );
    });
  });

  it('lists keep insertion order; updating keeps the place, removing and re-adding moves to the end', async () => {
    for (const name of ['s1', 's2', 's3']) {
      expectOk(
        await api.post(`/api/student/q/${name}`, 'ins', {
          first_name: '',
          last_name: '',
          email: ''
        })
      );
    }
    expectOk(
      await api.post('/api/student/q/s1', 'ins', { first_name: 'new', last_name: '', email: '' })
    );
    expect((await usernames('students')).slice(-3)).toEqual(['s1', 's2', 's3']);
    expectOk(await api.del('/api/student/q/s1', 'ins'));
    expectOk(
      await api.post('/api/student/q/s1', 'ins', { first_name: '', last_name: '', email: '' })
    );
    expect((await usernames('students')).slice(-3)).toEqual(['s2', 's3', 's1']);
    for (const name of ['i2', 'i3']) {
      expectOk(
        await api.post(`/api/instructor/q/${name}`, 'root', {
          first_name: '',
          last_name: '',
          email: ''
        })
      );
    }
    expect(await usernames('instructors')).toEqual(['ins', 'i2', 'i3']);
  });

  it('a refused instructor POST still creates the target user (ngshare commits it first)', async () => {
    expectError(await api.post('/api/instructor/q/ghost', 'root'), 400, 'Please supply first name');
    const dump = expectOk(await api.get('/api/initialize-Data6ase', 'root', { action: 'dump' }));
    expect(dump.users.map((u: { id: string }) => u.id)).toContain('ghost');
  });

  it('so does a refused student POST, and a new student is added with its names', async () => {
    expectError(await api.post('/api/student/q/phantom', 'ins'), 400, 'Please supply first name');
    const dump = expectOk(await api.get('/api/initialize-Data6ase', 'root', { action: 'dump' }));
    expect(dump.users.map((u: { id: string }) => u.id)).toContain('phantom');
    expectOk(
      await api.post('/api/student/q/phantom', 'ins', {
        first_name: 'Pha',
        last_name: 'Ntom',
        email: 'p@example.org'
      })
    );
    expect(expectOk(await api.get('/api/student/q/phantom', 'ins'))).toMatchObject({
      username: 'phantom',
      first_name: 'Pha',
      last_name: 'Ntom',
      email: 'p@example.org'
    });
  });

  it('courses are sorted by code point, as Python sorts str (not by UTF-16 units)', async () => {
    for (const id of ['\uff5a', '\ud835\udc9c', 'Z', 'a']) {
      expectOk(await api.post(`/api/course/${encodeURIComponent(id)}`, 'root'));
    }
    expect(expectOk(await api.get('/api/courses', 'root')).courses).toEqual([
      ' q',
      'Z',
      'a',
      'q',
      '\uff5a',
      '\ud835\udc9c'
    ]);
  });
});

itConformsToOpenApi();
