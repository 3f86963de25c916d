/**
 * ngshare 0.6's own test_ngshare.py, ported as a black-box suite over HTTP
 * (reference §6, tests 1–27). Like the original it is sequential and
 * stateful: it starts from `initialize-Data6ase?action=clear` + `init` (the
 * §3.1 fixture) and each test relies on the state the previous ones left.
 * Identity is the `user` parameter (query for GET/DELETE, form body for POST),
 * exactly as the upstream helper sends it. Messages are compared exactly.
 */
import { createHash } from 'node:crypto';
import { itConformsToOpenApi } from './test-support/openapi';
import {
  backends,
  engines,
  type Engine,
  type StorageKind,
  startTestService,
  type TestService
} from './test-support/harness';
import { HubClient } from './hub/hub-client';
import { StandInHub } from './test-support/stand-in-hub';

type Params = Record<string, string>;
interface Call {
  data?: Params;
  params?: Params;
  method?: 'GET' | 'POST' | 'DELETE';
}

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
const b64decode = (text: string) => Buffer.from(text, 'base64');
/** Python's `json.dumps` (the upstream test builds `files` with it). */
const dumps = (value: unknown) => JSON.stringify(value);
const TS = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/;
const tsMicros = (ts: string) => {
  const [date, time] = ts.split(' ');
  const [whole, frac] = time.split('.');
  return Date.parse(`${date}T${whole}Z`) * 1000 + Number(frac);
};

// vngshare mode (the `user` argument, as the upstream fixture) on every engine, and
// hub mode (reference §2.5 A: `Authorization: token <username>` against a stand-in hub).
// Folder and S3 storage alike: the wire answers do not depend on where the files are.
const RUNS = [
  ...backends().map(([engine, files]) => [`${engine}+${files}`, 'vngshare'] as const),
  ['sqlite+folder', 'hub'] as const
];

describe.each(RUNS)('upstream test_ngshare.py flow on %s, %s mode', (backend, mode) => {
  const [engine, storage] = backend.split('+') as [Engine, StorageKind];
  let svc: TestService;
  let user: string | undefined;
  const hub = new StandInHub();

  beforeAll(async () => {
    let hubClient: HubClient | undefined;
    if (mode === 'hub') {
      hub.nameIsToken = true;
      await hub.start();
      hubClient = new HubClient({
        apiUrl: hub.url,
        timeoutMs: 2000,
        cacheTtlMs: 60_000,
        negativeTtlMs: 0
      });
    }
    svc = await startTestService({
      engine,
      storage,
      debug: true,
      admins: ['root'],
      hub: hubClient
    });
  });
  afterAll(async () => {
    await svc.close();
    if (mode === 'hub') {
      await hub.stop();
    }
  });

  /**
   * server_communication(): adds `user` to the query (GET/DELETE) or the form
   * body (POST); in hub mode the user's token goes in the Authorization header.
   */
  async function communicate(url: string, { data, params, method = 'GET' }: Call = {}) {
    if (mode === 'hub') {
      const query = params ? new URLSearchParams(params).toString() : '';
      const full = query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
      const auth = { Authorization: `token ${user}` };
      if (method === 'POST') {
        return svc.request
          .post(full)
          .set(auth)
          .type('form')
          .send(new URLSearchParams(data ?? {}).toString());
      }
      return (method === 'DELETE' ? svc.request.delete(full) : svc.request.get(full)).set(auth);
    }
    if (user !== undefined) {
      if (method !== 'POST') {
        params = { ...(params ?? {}), user };
      } else {
        data = { ...(data ?? {}), user };
      }
    }
    const query = params ? new URLSearchParams(params).toString() : '';
    const full = query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
    if (method === 'POST') {
      return svc.request
        .post(full)
        .type('form')
        .send(new URLSearchParams(data ?? {}).toString());
    }
    return method === 'DELETE' ? svc.request.delete(full) : svc.request.get(full);
  }

  async function assertFail(url: string, msg: string, call: Call = {}) {
    const res = await communicate(url, call);
    const request = `${call.method ?? 'GET'} ${url} as ${user}`;
    expect({
      request,
      clientError: res.status >= 400 && res.status < 500,
      message: res.body.message
    }).toEqual({
      request,
      clientError: true,
      message: msg
    });
    expect(res.body.success).toBe(false);
    return res.body;
  }

  async function assertSuccess(url: string, call: Call = {}) {
    const res = await communicate(url, call);
    const request = `${call.method ?? 'GET'} ${url} as ${user}`;
    expect({ request, status: res.status, body: res.body }).toMatchObject({
      request,
      status: 200,
      body: { success: true }
    });
    return res.body;
  }

  it('1 test_health', async () => {
    user = undefined;
    const res = await svc.request.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
  });

  it('2 test_home', async () => {
    user = 'none';
    let res = await communicate('/api/');
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<!doctype html>')).toBe(true);
    res = await communicate('/api/favicon.ico');
    expect(res.status).toBe(200);
    expect((res.body as Buffer).subarray(0, 4)).toEqual(Buffer.from('\x89PNG', 'latin1'));
    res = await communicate('/api/masonry.min.js');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Masonry');
    res = await communicate('/api/random-page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<h1>404 Not Found</h1>\n');
  });

  it('3 test_init', async () => {
    const url = '/api/initialize-Data6ase';
    user = 'none';
    expect((await assertSuccess(url, { params: { action: 'clear' } })).message).toBe('done');
    expect((await assertSuccess(url, { params: { action: 'init' } })).message).toBe('done');
    await assertSuccess(url, { params: { action: 'dump' } });
    await assertFail(url, 'action should be clear, init, or dump', { params: { action: 'walk' } });
    const res = await communicate(url, { params: { action: 'dump', 'human-readable': 'true' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('masonry.min.js');
  });

  it('3b the init fixture has the §3.1 shape', async () => {
    user = 'none';
    const dump = await assertSuccess('/api/initialize-Data6ase', { params: { action: 'dump' } });
    expect(dump.users.map((u: { id: string }) => u.id).sort()).toEqual([
      'abigail',
      'eric',
      'kevin',
      'lawrence'
    ]);
    expect(dump.courses.map((c: { id: string }) => c.id)).toEqual(['course1', 'course2']);
    expect(dump.assignments.map((a: { id: string }) => a.id)).toEqual([
      'challenge',
      'assignment2a',
      'assignment2b'
    ]);
    expect(dump.submissions).toHaveLength(2);
    expect(dump.files).toHaveLength(6);
    expect(dump.submissions[0].timestamp).toBe('2020-01-01 00:00:00.000000');
    // The dump's table order and row shapes (reference §1.9)
    expect(Object.keys(dump)).toEqual([
      'success',
      'users',
      'courses',
      'assignments',
      'submissions',
      'files',
      'instructor_assoc_table',
      'student_assoc_table',
      'assignment_files_assoc_table',
      'submission_files_assoc_table',
      'feedback_files_assoc_table'
    ]);
    expect(Object.keys(dump.users[0])).toEqual(['id']);
    expect(Object.keys(dump.courses[0])).toEqual(['_id', 'id']);
    expect(dump.assignments[0]).toMatchObject({ id: 'challenge', released: false, due: null });
    expect(Object.keys(dump.assignments[0])).toEqual(['_id', 'id', 'course_id', 'released', 'due']);
    expect(Object.keys(dump.submissions[0])).toEqual([
      '_id',
      'assignment_id',
      'timestamp',
      'student_id'
    ]);
    expect(Object.keys(dump.files[0])).toEqual([
      '_id',
      'filename',
      'checksum',
      'size',
      'actual_name'
    ]);
    expect(dump.files.map((f: { filename: string }) => f.filename).sort()).toEqual([
      'file0',
      'file1',
      'file2',
      'file3',
      'file4',
      'file5'
    ]);
    expect(dump.instructor_assoc_table).toContainEqual({
      left_id: 'kevin',
      right_id: 'course1',
      first_name: null,
      last_name: null,
      email: null
    });
    expect(dump.feedback_files_assoc_table).toHaveLength(1);
    expect(typeof dump.feedback_files_assoc_table[0].left_id).toBe('string');
    expect(typeof dump.feedback_files_assoc_table[0].right_id).toBe('number');
  });

  it('4 test_list_courses', async () => {
    const url = '/api/courses';
    user = 'kevin';
    expect((await assertSuccess(url)).courses).toEqual(['course1']);
    user = 'abigail';
    expect((await assertSuccess(url)).courses).toEqual(['course2']);
    user = 'lawrence';
    expect((await assertSuccess(url)).courses).toEqual(['course1']);
    user = 'eric';
    expect((await assertSuccess(url)).courses).toEqual(['course2']);
    user = 'root';
    expect((await assertSuccess(url)).courses).toEqual(['course1', 'course2']);
  });

  it('5 test_add_course', async () => {
    const url = '/api/course/';
    user = 'eric';
    await assertFail(url + 'course3', 'Permission denied (not admin)', { method: 'POST' });
    user = 'root';
    await assertSuccess(url + 'course3', { method: 'POST' });
    expect((await assertSuccess('/api/instructors/course3')).instructors).toEqual([]);
    await assertSuccess(url + 'course3', { method: 'DELETE' });
    await assertFail(url + 'course3', 'Instructors cannot be JSON decoded', {
      params: { instructors: '"root"]' },
      method: 'POST'
    });
    await assertSuccess(url + 'course3', { params: { instructors: '["root"]' }, method: 'POST' });
    expect((await assertSuccess('/api/instructors/course3')).instructors).toEqual([
      { username: 'root', first_name: null, last_name: null, email: null }
    ]);
    await assertFail(url + 'course3', 'Course already exists', { method: 'POST' });
    // change owner to eric
    await assertSuccess('/api/instructor/course3/eric', {
      method: 'POST',
      data: { first_name: '', last_name: '', email: '' }
    });
    expect((await assertSuccess('/api/courses')).courses).toEqual([
      'course1',
      'course2',
      'course3'
    ]);
    await assertSuccess('/api/instructor/course3/root', { method: 'DELETE' });
    user = 'eric';
    expect((await assertSuccess('/api/courses')).courses).toEqual(['course2', 'course3']);
  });

  it('6 test_add_instructor', async () => {
    const url = '/api/instructor/';
    user = 'eric';
    await assertFail(url + 'course2/lawrence', 'Permission denied (not course instructor)', {
      method: 'POST'
    });
    user = 'root';
    await assertFail(url + 'course9/lawrence', 'Course not found', { method: 'POST' });
    let data: Params = {};
    await assertFail(url + 'course2/lawrence', 'Please supply first name', {
      data,
      method: 'POST'
    });
    data.first_name = 'lawrence_course2_first_name';
    await assertFail(url + 'course2/lawrence', 'Please supply last name', { data, method: 'POST' });
    data.last_name = 'lawrence_course2_last_name';
    await assertFail(url + 'course2/lawrence', 'Please supply email', { data, method: 'POST' });
    data.email = 'lawrence_course2_email';
    await assertSuccess(url + 'course2/lawrence', { data, method: 'POST' });
    expect((await assertSuccess('/api/instructors/course2')).instructors).toHaveLength(2);
    // Test changing instructor name
    user = 'abigail';
    await assertFail(
      url + 'course2/lawrence',
      'Permission denied (cannot modify other instructors)',
      {
        data,
        method: 'POST'
      }
    );
    await assertFail(url + 'course2/eric', 'Permission denied (cannot modify instructors)', {
      data,
      method: 'POST'
    });
    await assertFail(url + 'course2/kevin', 'Permission denied (cannot modify instructors)', {
      data,
      method: 'POST'
    });
    user = 'lawrence';
    await assertSuccess(url + 'course2/lawrence', { data, method: 'POST' });
    // Test updating student to instructor, and empty email
    data = {
      first_name: 'lawrence_course1_first_name',
      last_name: 'lawrence_course1_last_name',
      email: ''
    };
    await assertFail(url + 'course1/lawrence', 'Permission denied (not course instructor)', {
      data,
      method: 'POST'
    });
    user = 'root';
    await assertSuccess(url + 'course1/lawrence', { data, method: 'POST' });
    expect((await assertSuccess('/api/instructors/course1')).instructors).toHaveLength(2);
    expect((await assertSuccess('/api/students/course1')).students).toHaveLength(0);
    // Test adding non-existing instructor
    data = { first_name: '', last_name: '', email: '' };
    await assertSuccess(url + 'course3/instructor', { data, method: 'POST' });
  });

  it('7 test_get_instructor', async () => {
    const url = '/api/instructor/';
    user = 'kevin';
    await assertFail(url + 'course9/lawrence', 'Course not found');
    await assertFail(url + 'course2/lawrence', 'Permission denied (not related to course)');
    user = 'eric';
    await assertFail(url + 'course9/lawrence', 'Course not found');
    const resp1 = await assertSuccess(url + 'course2/lawrence');
    user = 'abigail';
    await assertFail(url + 'course2/eric', 'Instructor not found');
    const resp2 = await assertSuccess(url + 'course2/lawrence');
    expect(resp1).toEqual(resp2);
    expect(resp1).toEqual({
      success: true,
      username: 'lawrence',
      first_name: 'lawrence_course2_first_name',
      last_name: 'lawrence_course2_last_name',
      email: 'lawrence_course2_email'
    });
    user = 'lawrence';
    const resp3 = await assertSuccess(url + 'course1/lawrence');
    expect(resp3).toMatchObject({
      username: 'lawrence',
      first_name: 'lawrence_course1_first_name',
      last_name: 'lawrence_course1_last_name',
      email: ''
    });
  });

  it('8 test_delete_instructor', async () => {
    const url = '/api/instructor/';
    user = 'abigail';
    await assertFail(url + 'course2/lawrence', 'Permission denied (not admin)', {
      method: 'DELETE'
    });
    user = 'root';
    await assertFail(url + 'course9/lawrence', 'Course not found', { method: 'DELETE' });
    await assertFail(url + 'course2/eric', 'Instructor not found', { method: 'DELETE' });
    await assertSuccess(url + 'course2/lawrence', { method: 'DELETE' });
    await assertSuccess(url + 'course1/kevin', { method: 'DELETE' });
    await assertSuccess(url + 'course1/kevin', {
      method: 'POST',
      data: { first_name: '', last_name: '', email: '' }
    });
  });

  it('9 test_list_instructors', async () => {
    const url = '/api/instructors/';
    user = 'kevin';
    await assertFail(url + 'course9', 'Course not found');
    await assertFail(url + 'course2', 'Permission denied (not related to course)');
    user = 'eric';
    const resp1 = (await assertSuccess(url + 'course2')).instructors;
    user = 'abigail';
    const resp2 = (await assertSuccess(url + 'course2')).instructors;
    expect(resp1).toEqual(resp2);
    expect(resp1).toEqual([
      { username: 'abigail', first_name: null, last_name: null, email: null }
    ]);
  });

  it('10 test_add_student', async () => {
    const url = '/api/student/';
    user = 'eric';
    await assertFail(url + 'course9/lawrence', 'Course not found', { method: 'POST' });
    await assertFail(url + 'course2/lawrence', 'Permission denied (not course instructor)', {
      method: 'POST'
    });
    user = 'abigail';
    let data: Params = {};
    await assertFail(url + 'course2/lawrence', 'Please supply first name', {
      data,
      method: 'POST'
    });
    data.first_name = 'lawrence_course2_first_name';
    await assertFail(url + 'course2/lawrence', 'Please supply last name', { data, method: 'POST' });
    data.last_name = 'lawrence_course2_last_name';
    await assertFail(url + 'course2/lawrence', 'Please supply email', { data, method: 'POST' });
    data.email = 'lawrence_course2_email';
    await assertSuccess(url + 'course2/lawrence', { data, method: 'POST' });
    expect((await assertSuccess('/api/students/course2')).students).toHaveLength(2);
    // Test updating instructor to student, and empty email
    await assertFail(url + 'course2/abigail', 'Cannot add instructor as student', {
      data,
      method: 'POST'
    });
    user = 'kevin';
    data = {
      first_name: 'lawrence_course1_first_name',
      last_name: 'lawrence_course1_last_name',
      email: ''
    };
    await assertFail(url + 'course1/lawrence', 'Cannot add instructor as student', {
      data,
      method: 'POST'
    });
    expect((await assertSuccess('/api/instructors/course1')).instructors).toHaveLength(2);
    expect((await assertSuccess('/api/students/course1')).students).toHaveLength(0);
    user = 'root';
    await assertSuccess('/api/instructor/course1/lawrence', { method: 'DELETE' });
    user = 'kevin';
    await assertSuccess(url + 'course1/lawrence', { data, method: 'POST' });
    expect((await assertSuccess('/api/instructors/course1')).instructors).toHaveLength(1);
    expect((await assertSuccess('/api/students/course1')).students).toHaveLength(1);
    // Test adding non-existing student
    user = 'eric';
    data = { first_name: '', last_name: '', email: '' };
    await assertSuccess(url + 'course3/student', { data, method: 'POST' });
  });

  it('11 test_get_student', async () => {
    const url = '/api/student/';
    user = 'kevin';
    await assertFail(url + 'course9/lawrence', 'Course not found');
    await assertFail(url + 'course2/lawrence', 'Permission denied (not course instructor)');
    user = 'eric';
    await assertFail(url + 'course2/lawrence', 'Permission denied (not course instructor)');
    user = 'abigail';
    await assertFail(url + 'course2/abigail', 'Student not found');
    const resp = await assertSuccess(url + 'course2/lawrence');
    expect(resp).toEqual({
      success: true,
      username: 'lawrence',
      first_name: 'lawrence_course2_first_name',
      last_name: 'lawrence_course2_last_name',
      email: 'lawrence_course2_email'
    });
  });

  it('12 test_delete_student', async () => {
    const url = '/api/student/';
    user = 'eric';
    await assertFail(url + 'course9/lawrence', 'Course not found', { method: 'DELETE' });
    await assertFail(url + 'course2/lawrence', 'Permission denied (not course instructor)', {
      method: 'DELETE'
    });
    user = 'abigail';
    await assertFail(url + 'course2/kevin', 'Student not found', { method: 'DELETE' });
    await assertSuccess(url + 'course2/lawrence', { method: 'DELETE' });
  });

  it('13 test_add_students', async () => {
    const url = '/api/students/';
    user = 'kevin';
    await assertFail(url + 'course9', 'Course not found');
    await assertFail(url + 'course2', 'Permission denied (not course instructor)', {
      method: 'POST'
    });
    await assertFail(url + 'course1', 'Please supply students', { method: 'POST', data: {} });
    await assertFail(url + 'course1', 'Students cannot be JSON decoded', {
      method: 'POST',
      data: { students: '"' }
    });
    await assertFail(url + 'course1', 'Incorrect request format', {
      method: 'POST',
      data: { students: '12' }
    });
    await assertFail(url + 'course1', 'Please supply students', {
      method: 'POST',
      data: { students: '[]' }
    });
    await assertFail(url + 'course1', 'Incorrect request format', {
      method: 'POST',
      data: { students: '[1,2]' }
    });
    await assertFail(url + 'course1', 'Incorrect request format', {
      method: 'POST',
      data: { students: dumps([{ username: 'a', email: 'b', first_name: 'c' }]) }
    });
    const students = [
      { username: 'a', first_name: 'af', last_name: 'al', email: 'ae' },
      { username: 'b', first_name: 'bf', last_name: 'bl', email: 'be' },
      { username: 'c', first_name: 'cf', last_name: 'cl', email: 'ce' },
      { username: 'd', first_name: 'df', last_name: 'dl', email: 'de' },
      { username: 'e', first_name: '', last_name: '', email: '' },
      { username: 'kevin', first_name: '', last_name: '', email: '' },
      { username: 'lawrence', first_name: '', last_name: '', email: '' }
    ];
    const resp = await assertSuccess(url + 'course1', {
      method: 'POST',
      data: { students: dumps(students) }
    });
    expect(resp.status).toEqual([
      { username: 'a', success: true },
      { username: 'b', success: true },
      { username: 'c', success: true },
      { username: 'd', success: true },
      { username: 'e', success: true },
      { username: 'kevin', success: false, message: 'Cannot add instructor as student' },
      { username: 'lawrence', success: true }
    ]);
    const listed = (await assertSuccess(url + 'course1')).students;
    expect(listed).toHaveLength(6);
    for (const s of listed) {
      expect(students).toContainEqual(s);
    }
  });

  it('14 test_list_students', async () => {
    const url = '/api/students/';
    user = 'kevin';
    await assertFail(url + 'course9', 'Course not found');
    await assertFail(url + 'course2', 'Permission denied (not course instructor)');
    user = 'eric';
    await assertFail(url + 'course2', 'Permission denied (not course instructor)');
    user = 'abigail';
    expect((await assertSuccess(url + 'course2')).students).toEqual([
      { username: 'eric', first_name: null, last_name: null, email: null }
    ]);
  });

  it('15 test_list_assignments', async () => {
    const url = '/api/assignments/';
    user = 'kevin';
    await assertFail(url + 'course2', 'Permission denied (not related to course)');
    user = 'abigail';
    expect((await assertSuccess(url + 'course2')).assignments).toEqual([
      'assignment2a',
      'assignment2b'
    ]);
    user = 'lawrence';
    await assertFail(url + 'course2', 'Permission denied (not related to course)');
    user = 'eric';
    expect((await assertSuccess(url + 'course2')).assignments).toEqual([
      'assignment2a',
      'assignment2b'
    ]);
    await assertFail(url + 'jkl', 'Course not found');
  });

  it('16 test_download_assignment', async () => {
    const url = '/api/assignment/';
    user = 'kevin';
    let files = (await assertSuccess(url + 'course1/challenge')).files;
    expect(files[0].path).toBe('file2');
    expect(b64decode(files[0].content).toString()).toBe('22222');
    expect(files[0].checksum).toBe(md5('22222'));
    await assertFail(url + 'jkl/challenger', 'Course not found');
    await assertFail(url + 'course1/challenger', 'Assignment not found');
    // Check list_only
    files = (await assertSuccess(url + 'course1/challenge?list_only=true')).files;
    expect(Object.keys(files[0]).sort()).toEqual(['checksum', 'path']);
    expect(files[0].path).toBe('file2');
    expect(files[0].checksum).toBe(md5('22222'));
    user = 'eric';
    await assertFail(url + 'course1/challenge', 'Permission denied (not related to course)');
  });

  it('17 test_release_assignment', async () => {
    const url = '/api/assignment/';
    const data: Params = {
      files: dumps([
        { path: 'a', content: 'amtsCg==' },
        { path: 'b', content: 'amtsCg==' }
      ])
    };
    user = 'kevin';
    await assertFail(url + 'jkl/challenger', 'Course not found', { method: 'POST', data });
    await assertFail(url + 'course1/challenger', 'Please supply files', { method: 'POST' });
    await assertSuccess(url + 'course1/challenger', { method: 'POST', data });
    await assertFail(url + 'course1/challenger', 'Assignment already exists', {
      method: 'POST',
      data
    });
    data.files = dumps([{ path: 'a', content: 'amtsCg' }]);
    await assertFail(url + 'course1/challenges', 'Content cannot be base64 decoded', {
      method: 'POST',
      data
    });
    for (const pathname of ['/a', '/', '', '../etc', 'a/./a.py', 'a/.']) {
      data.files = dumps([{ path: pathname, content: '' }]);
      await assertFail(url + 'course1/challenges', 'Illegal path', { method: 'POST', data });
    }
    for (const who of ['abigail', 'lawrence', 'eric']) {
      user = who;
      await assertFail(url + 'course1/challenger', 'Permission denied (not course instructor)', {
        method: 'POST',
        data
      });
    }
  });

  it('18 test_delete_assignment', async () => {
    const url = '/api/assignment/';
    user = 'lawrence';
    await assertFail(url + 'course1/challenger', 'Permission denied (not course instructor)', {
      method: 'DELETE'
    });
    user = 'kevin';
    await assertFail(url + 'jkl/challenger', 'Course not found', { method: 'DELETE' });
    await assertFail(url + 'course1/challengers', 'Assignment not found', { method: 'DELETE' });
    await assertSuccess(url + 'course1/challenger');
    await assertSuccess(url + 'course1/challenger', { method: 'DELETE' });
    await assertFail(url + 'course1/challenger', 'Assignment not found');
  });

  it('19 test_list_submissions', async () => {
    const url = '/api/submissions/';
    user = 'kevin';
    await assertFail(url + 'jkl/challenge', 'Course not found');
    await assertFail(url + 'course1/challenges', 'Assignment not found');
    const result = await assertSuccess(url + 'course1/challenge');
    expect(result.submissions).toHaveLength(2);
    expect(Object.keys(result.submissions[0]).sort()).toEqual(['student_id', 'timestamp']);
    expect(result.submissions[0].student_id).toBe('lawrence');
    expect(result.submissions[1].student_id).toBe('lawrence');
    user = 'abigail';
    expect((await assertSuccess(url + 'course2/assignment2a')).submissions).toHaveLength(0);
    user = 'eric';
    await assertFail(url + 'course1/challenges', 'Permission denied (not course instructor)');
    await assertFail(url + 'course2/assignment2a', 'Permission denied (not course instructor)');
  });

  it('20 test_list_student_submission', async () => {
    const url = '/api/submissions/';
    user = 'kevin';
    await assertFail(url + 'jkl/challenge/st', 'Course not found');
    await assertFail(url + 'course1/challenges/st', 'Assignment not found');
    await assertFail(url + 'course1/challenge/st', 'Student not found');
    let result = await assertSuccess(url + 'course1/challenge/lawrence');
    expect(result.submissions).toHaveLength(2);
    expect(Object.keys(result.submissions[0]).sort()).toEqual(['student_id', 'timestamp']);
    user = 'eric';
    result = await assertSuccess(url + 'course2/assignment2a/eric');
    expect(result.submissions).toHaveLength(0);
    user = 'kevin';
    await assertFail(
      url + 'course2/assignment2a/eric',
      'Permission denied (not course instructor)'
    );
    user = 'abigail';
    await assertFail(
      url + 'course1/challenge/lawrence',
      'Permission denied (not course instructor)'
    );
    user = 'lawrence';
    await assertSuccess(url + 'course1/challenge/lawrence');
    user = 'eric';
    await assertFail(
      url + 'course1/challenge/lawrence',
      'Permission denied (not course instructor)'
    );
  });

  it('21 test_submit_assignment', async () => {
    const url = '/api/submission/';
    user = 'kevin';
    const data: Params = {
      files: dumps([
        { path: 'a', content: 'amtsCg==' },
        { path: 'b', content: 'amtsCg==' }
      ])
    };
    await assertFail(url + 'jkl/challenge', 'Course not found', { method: 'POST' });
    await assertFail(url + 'course1/challenges', 'Assignment not found', { method: 'POST' });
    user = 'lawrence';
    await assertFail(url + 'course1/challenge', 'Please supply files', { method: 'POST' });
    const resp1 = await assertSuccess(url + 'course1/challenge', { method: 'POST', data });
    expect(resp1.timestamp).toMatch(TS);
    data.files = dumps([{ path: 'a', content: 'amtsCg==' }]);
    const resp2 = await assertSuccess(url + 'course1/challenge', { method: 'POST', data });
    expect(resp2.timestamp).toMatch(TS);
    const ts1 = tsMicros(resp1.timestamp);
    const ts2 = tsMicros(resp2.timestamp);
    expect(ts1).toBeLessThan(ts2);
    expect(ts2).toBeLessThan(ts1 + 1_000_000);
    // UTC wall clock: within a minute of now
    expect(Math.abs(ts2 / 1000 - Date.now())).toBeLessThan(60_000);
    data.files = dumps([{ path: 'a', content: 'amtsCg' }]);
    await assertFail(url + 'course1/challenge', 'Content cannot be base64 decoded', {
      method: 'POST',
      data
    });
    data.files = 'a-random-string';
    await assertFail(url + 'course1/challenge', 'Files cannot be JSON decoded', {
      method: 'POST',
      data
    });
    user = 'kevin';
    const result = await assertSuccess('/api/submissions/course1/challenge');
    expect(result.submissions).toHaveLength(4); // 2 from init, 2 from this
    user = 'eric';
    await assertFail(url + 'course1/challenge', 'Permission denied (not related to course)', {
      method: 'POST'
    });
  });

  it('22 test_download_submission', async () => {
    const url = '/api/submission/';
    user = 'kevin';
    await assertFail(url + 'jkl/challenge/st', 'Course not found');
    await assertFail(url + 'course1/challenges/st', 'Assignment not found');
    await assertFail(url + 'course1/challenge/st', 'Student not found');
    // Test get latest
    let result = await assertSuccess(url + 'course1/challenge/lawrence');
    let files = result.files;
    expect(files).toHaveLength(1);
    let fileObj = files.find((f: { path: string }) => f.path === 'a');
    expect(b64decode(fileObj.content)).toEqual(Buffer.from('jkl\n'));
    expect(fileObj.checksum).toBe(md5('jkl\n'));
    user = 'abigail';
    await assertFail(url + 'course2/assignment2a/eric', 'Submission not found');
    // Test get latest with list_only
    user = 'kevin';
    result = await assertSuccess(url + 'course1/challenge/lawrence', {
      params: { list_only: 'true' }
    });
    files = result.files;
    expect(files).toHaveLength(1);
    expect(Object.keys(files[0]).sort()).toEqual(['checksum', 'path']);
    expect(files[0].path).toBe('a');
    expect(files[0].checksum).toBe(md5('jkl\n'));
    // Test timestamp
    result = await assertSuccess('/api/submissions/course1/challenge/lawrence');
    let timestamp = result.submissions.map((s: { timestamp: string }) => s.timestamp).sort()[0];
    result = await assertSuccess(url + 'course1/challenge/lawrence', { params: { timestamp } });
    files = result.files;
    expect(files).toHaveLength(1);
    fileObj = files.find((f: { path: string }) => f.path === 'file3');
    expect(b64decode(fileObj.content).toString()).toBe('33333');
    expect(fileObj.checksum).toBe(md5('33333'));
    // Test timestamp with list_only
    result = await assertSuccess(url + 'course1/challenge/lawrence', {
      params: { timestamp, list_only: 'true' }
    });
    files = result.files;
    expect(files).toHaveLength(1);
    fileObj = files.find((f: { path: string }) => f.path === 'file3');
    expect(fileObj).not.toHaveProperty('content');
    expect(fileObj.checksum).toBe(md5('33333'));
    // Test timestamp not found: Python's naive now().strftime('... %f %Z') ends in a space
    const now = new Date();
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    timestamp =
      `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ` +
      `${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}.${p(now.getMilliseconds(), 3)}123 `;
    await assertFail(url + 'course1/challenge/lawrence', 'Submission not found', {
      params: { timestamp }
    });
    // Test permission
    user = 'eric';
    await assertFail(
      url + 'course2/assignment2a/eric',
      'Permission denied (not course instructor)'
    );
  });

  it('23 test_upload_feedback', async () => {
    const url = '/api/feedback/';
    user = 'kevin';
    const data: Params = {
      files: dumps([
        { path: 'a', content: 'amtsCg==' },
        { path: 'b', content: 'amtsCg==' }
      ]),
      timestamp: '2020-01-01 00:00:00.000000 '
    };
    await assertFail(url + 'jkl/challenge/st', 'Course not found', { method: 'POST', data });
    await assertFail(url + 'course1/challenges/st', 'Assignment not found', {
      method: 'POST',
      data
    });
    await assertFail(url + 'course1/challenge/st', 'Student not found', { method: 'POST', data });
    await assertSuccess(url + 'course1/challenge/lawrence', { method: 'POST', data });
    data.files = dumps([{ path: 'c', content: 'amtsCf==' }]);
    await assertSuccess(url + 'course1/challenge/lawrence', { method: 'POST', data });
    await assertFail(url + 'course1/challenge/lawrence', 'Please supply timestamp', {
      method: 'POST',
      data: {}
    });
    await assertFail(url + 'course1/challenge/lawrence', 'Time format incorrect', {
      method: 'POST',
      data: { timestamp: 'a' }
    });
    user = 'abigail';
    await assertFail(url + 'course2/assignment2a/eric', 'Submission not found', {
      method: 'POST',
      data
    });
    await assertFail(url + 'course2/assignment2a/eric', 'Submission not found', {
      method: 'POST',
      data: { timestamp: data.timestamp }
    });
    user = 'eric';
    await assertFail(
      url + 'course2/assignment2a/eric',
      'Permission denied (not course instructor)',
      {
        method: 'POST',
        data
      }
    );
  });

  it('23b the second upload replaced the first (amtsCf== is jkl\\t)', async () => {
    user = 'kevin';
    const fb = await assertSuccess('/api/feedback/course1/challenge/lawrence', {
      params: { timestamp: '2020-01-01 00:00:00.000000' }
    });
    expect(fb.files).toEqual([{ path: 'c', checksum: md5('jkl\t'), content: 'amtsCQ==\n' }]);
    expect(fb.timestamp).toBe('2020-01-01 00:00:00.000000');
  });

  it('24 test_download_feedback', async () => {
    const url = '/api/feedback/';
    user = 'kevin';
    await assertFail(url + 'jkl/challenge/st', 'Course not found');
    await assertFail(url + 'course1/challenges/st', 'Assignment not found');
    await assertFail(url + 'course1/challenge/st', 'Student not found');
    const meta = await assertSuccess('/api/submission/course1/challenge/lawrence');
    const timestamp = meta.timestamp;
    await assertFail(url + 'course1/challenge/lawrence', 'Please supply timestamp', { params: {} });
    await assertFail(url + 'course1/challenge/lawrence', 'Time format incorrect', {
      params: { timestamp: 'a' }
    });
    user = 'eric';
    await assertFail(url + 'course2/assignment2a/eric', 'Submission not found', {
      params: { timestamp }
    });
    user = 'kevin';
    let feedback = await assertSuccess(url + 'course1/challenge/lawrence', {
      params: { timestamp }
    });
    expect(feedback.files).toEqual([]);
    // Submit again ('amtsDg==' is 'jkl\x0e')
    await assertSuccess(url + 'course1/challenge/lawrence', {
      method: 'POST',
      data: { files: dumps([{ path: 'a', content: 'amtsDg==' }]), timestamp }
    });
    feedback = await assertSuccess(url + 'course1/challenge/lawrence', { params: { timestamp } });
    expect(feedback.files).toHaveLength(1);
    expect(feedback.files[0].path).toBe('a');
    expect(b64decode(feedback.files[0].content)).toEqual(Buffer.from('jkl\x0e', 'latin1'));
    expect(feedback.files[0].checksum).toBe(md5(Buffer.from('jkl\x0e', 'latin1')));
    // Again ('bmtsDg==' is 'nkl\x0e')
    await assertSuccess(url + 'course1/challenge/lawrence', {
      method: 'POST',
      data: { files: dumps([{ path: 'a', content: 'bmtsDg==' }]), timestamp }
    });
    feedback = await assertSuccess(url + 'course1/challenge/lawrence', { params: { timestamp } });
    expect(feedback.files).toHaveLength(1);
    expect(feedback.files[0].path).toBe('a');
    expect(b64decode(feedback.files[0].content)).toEqual(Buffer.from('nkl\x0e', 'latin1'));
    expect(feedback.files[0].checksum).toBe(md5(Buffer.from('nkl\x0e', 'latin1')));
    // Check list_only
    feedback = await assertSuccess(url + 'course1/challenge/lawrence', {
      params: { timestamp, list_only: 'true' }
    });
    expect(feedback.files).toEqual([
      { path: 'a', checksum: md5(Buffer.from('nkl\x0e', 'latin1')) }
    ]);
    // Permission check
    user = 'kevin';
    await assertFail(url + 'course1/challenge/lawrence', 'Please supply timestamp');
    user = 'abigail';
    await assertFail(
      url + 'course1/challenge/lawrence',
      'Permission denied (not course instructor)'
    );
    user = 'lawrence';
    await assertFail(url + 'course1/challenge/lawrence', 'Please supply timestamp');
    user = 'eric';
    await assertFail(
      url + 'course1/challenge/lawrence',
      'Permission denied (not course instructor)'
    );
  });

  it('25 test_remove_course', async () => {
    const url = '/api/course/';
    user = 'kevin';
    await assertFail(url + 'course1', 'Permission denied (not admin)', { method: 'DELETE' });
    user = 'root';
    await assertSuccess(url + 'course1', { method: 'DELETE' });
    await assertSuccess(url + 'course2', { method: 'DELETE' });
    await assertSuccess(url + 'course3', { method: 'DELETE' });
    await assertFail(url + 'course4', 'Course not found', { method: 'DELETE' });
    const resp = await assertSuccess('/api/initialize-Data6ase', { params: { action: 'dump' } });
    // All other tables should be empty
    expect(Object.keys(resp).sort()).toEqual(['success', 'users']);
  });

  it('26 test_corner_case (first half: a 24-character extension round-trips)', async () => {
    const initUrl = '/api/initialize-Data6ase';
    user = 'none';
    await assertSuccess(initUrl, { params: { action: 'clear' } });
    await assertSuccess(initUrl, { params: { action: 'init' } });
    user = 'eric';
    const data = { files: dumps([{ path: 'a.abcdefghijklmnopqrstuvw', content: 'amtsCg==' }]) };
    const url = '/api/submission/course2/assignment2a';
    await assertSuccess(url, { method: 'POST', data });
    user = 'abigail';
    expect((await assertSuccess(url + '/eric')).files[0].path).toBe('a.abcdefghijklmnopqrstuvw');
    // The second half forces storage-name collisions ("Internal server error (filename
    // conflict)"); storage here is content-addressed, so no such collision exists. Ten
    // uploads of the same bytes all succeed instead.
    user = 'eric';
    for (let i = 0; i < 10; i++) {
      await assertSuccess(url, { method: 'POST', data });
    }
  });
});

describe.each(engines())('upstream test_nodebug (27) on a non-debug instance, %s', engine => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ engine, debug: false, admins: ['root'] });
  });
  afterAll(() => svc.close());

  it('refuses clear and init with "Debug mode is off", even for an admin', async () => {
    for (const user of ['none', 'root']) {
      for (const action of ['clear', 'init', 'walk']) {
        const res = await svc.request.get('/api/initialize-Data6ase').query({ action, user });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ success: false, message: 'Debug mode is off' });
      }
    }
    const missing = await svc.request.get('/api/initialize-Data6ase').query({ user: 'root' });
    expect(missing.body.message).toBe('Debug mode is off');
  });

  it('lets only admins dump', async () => {
    const res = await svc.request
      .get('/api/initialize-Data6ase')
      .query({ action: 'dump', user: 'root' });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const denied = await svc.request
      .get('/api/initialize-Data6ase')
      .query({ action: 'dump', user: 'none' });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('Debug mode is off');
  });

  it('shows the debug actions on the home page to admins only', async () => {
    const admin = await svc.request.get('/api/').query({ user: 'root' });
    expect(admin.text).toContain('Debug actions');
    expect(admin.text).not.toContain('action=clear');
    const other = await svc.request.get('/api/').query({ user: 'none' });
    expect(other.status).toBe(200);
    expect(other.text.startsWith('<!doctype html>')).toBe(true);
    expect(other.text).not.toContain('Debug actions');
  });

  it('answers an unknown page with exactly <h1>404 Not Found</h1>\\n', async () => {
    const res = await svc.request.get('/api/random-page').query({ user: 'none' });
    expect(res.status).toBe(404);
    expect(res.text).toBe('<h1>404 Not Found</h1>\n');
  });

  it('says only "Permission denied" without the debug detail', async () => {
    await svc.request
      .post('/api/course/c1')
      .type('form')
      .send({ user: 'root', instructors: '["kim"]' })
      .expect(200);
    const cases: Array<[string, string, string]> = [
      ['post', '/api/course/c2', 'kim'],
      ['post', '/api/assignment/c1/a1', 'stranger'],
      ['get', '/api/assignments/c1', 'stranger']
    ];
    for (const [method, url, user] of cases) {
      const res =
        method === 'post'
          ? await svc.request.post(url).type('form').send({ user })
          : await svc.request.get(url).query({ user });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ success: false, message: 'Permission denied' });
    }
  });
});

itConformsToOpenApi();
