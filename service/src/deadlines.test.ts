/**
 * Deadlines and extensions (issue 14, `<prefix>v2/`): set, change, clear;
 * lateness after nbgrader's gradebook (timestamp − due date); hard deadlines
 * refuse late submissions, also through ngshare's v1 submit route; every bad
 * input a clear 4xx. Times in the past and far future stand in for "late" and
 * "on time", so the real clock decides.
 */
import { canonicalToIso, parseDueDate, secondsLate } from './domain/deadlines';
import { canonicalToMicros } from './domain/timestamps';
import {
  b64,
  client,
  expectError,
  expectOk,
  filesOf,
  seedCourse,
  type Client
} from './test-support/client';
import { engines, startTestService, type TestService } from './test-support/harness';
import { itConformsToOpenApi } from './test-support/openapi';

const PAST = '2020-01-01T12:00:00Z';
const FUTURE = '2099-06-30T23:59:00-04:00';
const submitAs = (api: Client, user: string) =>
  api.post('/api/submission/c1/a1', user, { files: filesOf([['a1.ipynb', b64('{}')]]) });

describe('due dates are read with a zone and kept in UTC', () => {
  it.each([
    ['2026-12-05T17:00:00Z', '2026-12-05 17:00:00.000000'],
    ['2026-12-05T12:00-05:00', '2026-12-05 17:00:00.000000'],
    ['2026-12-06T02:30:00.25+0930', '2026-12-05 17:00:00.250000'],
    ['2026-12-05 17:00z', '2026-12-05 17:00:00.000000']
  ])('%s is %s', (text, canonical) => {
    expect(parseDueDate(text)).toEqual({ due: canonical });
  });

  it.each([
    '2026-12-05T17:00:00',
    '2026-12-05',
    'tomorrow',
    '2026-02-30T10:00Z',
    '2026-12-05T24:00Z',
    '2026-12-05T10:00+25:00',
    '1969-12-31T23:59Z'
  ])('refuses %s', text => {
    expect(parseDueDate(text)).toHaveProperty('problem');
  });

  it('writes ISO 8601 UTC back and measures lateness in seconds', () => {
    expect(canonicalToIso('2026-12-05 17:00:00.000000')).toBe('2026-12-05T17:00:00Z');
    expect(canonicalToIso('2026-12-05 17:00:00.250000')).toBe('2026-12-05T17:00:00.25Z');
    expect(secondsLate('2026-12-05 18:00:01.500000', '2026-12-05 17:00:00.000000')).toBe(3601.5);
    expect(secondsLate('2026-12-05 16:00:00.000000', '2026-12-05 17:00:00.000000')).toBe(0);
  });
});

describe.each(engines())('deadlines on %s', engine => {
  let svc: TestService;
  let api: Client;
  beforeEach(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
    api = client(svc);
    await seedCourse(api, 'c1');
  });
  afterEach(() => svc.close());

  it('a soft deadline accepts late submissions and marks them late by how much', async () => {
    const set = expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: PAST }));
    expect(set.deadline).toEqual({
      assignment_id: 'a1',
      due: PAST,
      hard: false,
      released: true,
      extensions: []
    });
    const ts = expectOk(await submitAs(api, 'stu2')).timestamp as string;
    const view = expectOk(await api.get('/api/v2/deadline/c1/a1', 'ins'));
    expect(view.deadline).toEqual({ due: PAST, hard: false });
    const mine = view.submissions.find((s: { student_id: string }) => s.student_id === 'stu2');
    const expected =
      Number(canonicalToMicros(ts)! - BigInt(Date.UTC(2020, 0, 1, 12)) * 1000n) / 1e6;
    expect(mine).toEqual({
      student_id: 'stu2',
      timestamp: ts,
      due: PAST,
      late: true,
      seconds_late: expected
    });
    expect(view.submissions).toHaveLength(2); // stu's seeded one and stu2's
  });

  it('moving the deadline re-marks existing submissions', async () => {
    expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: PAST }));
    expect(
      expectOk(await api.get('/api/v2/deadline/c1/a1', 'stu')).submissions.map(
        (s: { late: boolean }) => s.late
      )
    ).toEqual([true]);
    expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: FUTURE }));
    const view = expectOk(await api.get('/api/v2/deadline/c1/a1', 'stu'));
    expect(view.deadline).toEqual({ due: '2099-07-01T03:59:00Z', hard: false });
    expect(
      view.submissions.map((s: { late: boolean; seconds_late: number }) => [s.late, s.seconds_late])
    ).toEqual([[false, 0]]);
  });

  it('a hard deadline refuses a late submission through v1 with a clear 403, and nothing is stored', async () => {
    expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: PAST, hard: 'true' }));
    expectError(
      await submitAs(api, 'stu2'),
      403,
      'Submissions to a1 closed at its hard deadline, 2020-01-01T12:00:00Z (UTC)'
    );
    expect(expectOk(await api.get('/api/submissions/c1/a1/stu2', 'stu2')).submissions).toEqual([]);
    // instructors and admins are not held to it (they submit to test the assignment)
    expectOk(await submitAs(api, 'ins'));
    expectOk(await submitAs(api, 'root'));
  });

  it('an extension lets one student submit after a hard deadline, on time', async () => {
    expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: PAST, hard: 'true' }));
    const ext = expectOk(await api.post('/api/v2/extension/c1/a1/stu2', 'ins', { due: FUTURE }));
    expect(ext.extension).toEqual({ student_id: 'stu2', due: '2099-07-01T03:59:00Z' });
    const ts = expectOk(await submitAs(api, 'stu2')).timestamp;
    expectError(
      await submitAs(api, 'stu'),
      403,
      'Submissions to a1 closed at its hard deadline, 2020-01-01T12:00:00Z (UTC)'
    );
    // stu2 sees only their own extension and submissions; stu none
    const forStu2 = expectOk(await api.get('/api/v2/deadline/c1/a1', 'stu2'));
    expect(forStu2.extensions).toEqual([{ student_id: 'stu2', due: '2099-07-01T03:59:00Z' }]);
    expect(forStu2.submissions).toEqual([
      {
        student_id: 'stu2',
        timestamp: ts,
        due: '2099-07-01T03:59:00Z',
        late: false,
        seconds_late: 0
      }
    ]);
    expect(expectOk(await api.get('/api/v2/deadlines/c1', 'stu')).deadlines).toEqual([
      { assignment_id: 'a1', due: PAST, hard: true, released: true, extensions: [] }
    ]);
    expectOk(await api.del('/api/v2/extension/c1/a1/stu2', 'ins'));
    expectError(
      await submitAs(api, 'stu2'),
      403,
      'Submissions to a1 closed at its hard deadline, 2020-01-01T12:00:00Z (UTC)'
    );
  });

  it('a deadline set before release shows to instructors only, survives re-release, and clears', async () => {
    expectOk(await api.post('/api/v2/deadline/c1/a2', 'ins', { due: FUTURE, hard: 'false' }));
    const a2 = { assignment_id: 'a2', due: '2099-07-01T03:59:00Z', hard: false, extensions: [] };
    expect(expectOk(await api.get('/api/v2/deadlines/c1', 'ins2')).deadlines).toEqual([
      { ...a2, released: false }
    ]);
    expect(expectOk(await api.get('/api/v2/deadlines/c1', 'stu')).deadlines).toEqual([]);
    expectOk(await api.post('/api/assignment/c1/a2', 'ins', { files: '[]' }));
    expectOk(await api.del('/api/assignment/c1/a2', 'ins'));
    expectOk(await api.post('/api/assignment/c1/a2', 'ins', { files: '[]' }));
    expect(expectOk(await api.get('/api/v2/deadlines/c1', 'stu')).deadlines).toEqual([
      { ...a2, released: true }
    ]);
    expectOk(await api.post('/api/v2/extension/c1/a2/stu', 'ins', { due: '2099-08-01T00:00Z' }));
    expectOk(await api.del('/api/v2/deadline/c1/a2', 'ins'));
    expect(expectOk(await api.get('/api/v2/deadlines/c1', 'ins')).deadlines).toEqual([]);
    // its extensions went with it
    expectError(
      await api.del('/api/v2/extension/c1/a2/stu', 'ins'),
      404,
      'No extension is set for this student'
    );
    expect(expectOk(await api.get('/api/v2/deadline/c1/a2', 'ins'))).toEqual({
      success: true,
      deadline: null,
      extensions: [],
      submissions: []
    });
  });

  it('v1 answers are unchanged by a deadline', async () => {
    const before = (await api.get('/api/submissions/c1/a1', 'ins')).body;
    expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: PAST }));
    expect((await api.get('/api/submissions/c1/a1', 'ins')).body).toEqual(before);
    const submitted = expectOk(await submitAs(api, 'stu2'));
    expect(Object.keys(submitted).sort()).toEqual(['success', 'timestamp']);
  });

  it.each<[string, () => Promise<import('supertest').Response>, number, string]>([
    ['missing due', () => api.post('/api/v2/deadline/c1/a1', 'ins'), 400, 'Missing argument due'],
    [
      'a zone-less due',
      () => api.post('/api/v2/deadline/c1/a1', 'ins', { due: '2026-12-05T17:00' }),
      400,
      'due must be an ISO 8601 date and time with a time zone, e.g. 2026-12-05T17:00:00Z or 2026-12-05T12:00-05:00'
    ],
    [
      'an impossible date',
      () => api.post('/api/v2/deadline/c1/a1', 'ins', { due: '2026-02-30T17:00Z' }),
      400,
      'due is not a valid date and time (2026-02-30T17:00Z)'
    ],
    [
      'a bad hard',
      () => api.post('/api/v2/deadline/c1/a1', 'ins', { due: PAST, hard: 'yes' }),
      400,
      'hard must be true or false'
    ],
    [
      'a student setting',
      () => api.post('/api/v2/deadline/c1/a1', 'stu', { due: PAST }),
      403,
      'Permission denied (not course instructor)'
    ],
    [
      'an outsider listing',
      () => api.get('/api/v2/deadlines/c1', 'out'),
      403,
      'Permission denied (not related to course)'
    ],
    ['an unknown course', () => api.get('/api/v2/deadlines/nope', 'ins'), 404, 'Course not found'],
    [
      'an unreleased assignment',
      () => api.get('/api/v2/deadline/c1/zz', 'ins'),
      404,
      'Assignment not found'
    ],
    [
      'clearing nothing',
      () => api.del('/api/v2/deadline/c1/a1', 'ins'),
      404,
      'No deadline is set for this assignment'
    ],
    [
      'a blank assignment id',
      () => api.post('/api/v2/deadline/c1/%20', 'ins', { due: PAST }),
      400,
      'Assignment id must not be blank'
    ],
    [
      'an extension without a deadline',
      () => api.post('/api/v2/extension/c1/a1/stu', 'ins', { due: FUTURE }),
      409,
      'Set a deadline for this assignment before granting an extension'
    ],
    [
      'an extension for an instructor',
      () => api.post('/api/v2/extension/c1/a1/ins2', 'ins', { due: FUTURE }),
      404,
      'Student not found'
    ],
    [
      'an extension for a stranger',
      () => api.post('/api/v2/extension/c1/a1/out', 'ins', { due: FUTURE }),
      404,
      'Student not found'
    ],
    [
      'a student extending',
      () => api.post('/api/v2/extension/c1/a1/stu', 'stu', { due: FUTURE }),
      403,
      'Permission denied (not course instructor)'
    ],
    [
      'revoking nothing',
      () => api.del('/api/v2/extension/c1/a1/stu', 'ins'),
      404,
      'No extension is set for this student'
    ]
  ])('%s is refused', async (_label, call, status, message) => {
    expectError(await call(), status, message);
  });

  it('an extension must end after the deadline', async () => {
    expectOk(await api.post('/api/v2/deadline/c1/a1', 'ins', { due: '2030-01-01T00:00Z' }));
    expectError(
      await api.post('/api/v2/extension/c1/a1/stu', 'ins', { due: '2029-12-31T19:00-05:00' }),
      400,
      'An extension must end after the deadline (2030-01-01T00:00:00Z)'
    );
  });
});

itConformsToOpenApi();
