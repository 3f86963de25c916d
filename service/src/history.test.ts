/**
 * A course's history and a student's receipts (issue 14, item 3, `<prefix>v2/history` and
 * `<prefix>v2/receipts`): every change and download recorded with who, what, when, sizes and
 * checksums; instructors see the course, students their own part, admins everything; pages,
 * filters and CSV; the receipt checksum is the one `sha256sum` gives for the files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

const CANONICAL = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/;
const HEX64 = /^[0-9a-f]{64}$/;

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The checksum a student computes with coreutils alone, as docs/instructor guide says. */
function sha256sumOfTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ngshare-receipt-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return execFileSync(
      'bash',
      [
        '-c',
        "find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum"
      ],
      { cwd: dir, encoding: 'utf8' }
    ).split(' ')[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(engines())('course history on %s', engine => {
  let svc: TestService;
  let api: Client;
  let timestamp: string;
  beforeEach(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
    api = client(svc);
    timestamp = (await seedCourse(api, 'c1')).timestamp;
  });
  afterEach(() => svc.close());

  const history = async (user: string, query: Record<string, string> = {}, course = 'c1') =>
    expectOk(await api.get(`/api/v2/history/${course}`, user, query)).events as Event[];

  it('records releases, submissions, feedback and roster changes with sizes and checksums', async () => {
    const events = await history('ins');
    // newest first; ids only grow
    expect(events.map(e => e.action)).toEqual([
      'feedback_upload',
      'submit',
      'release',
      'roster_add',
      'roster_add',
      'course_create'
    ]);
    expect(events.map(e => e.id)).toEqual([...events.map(e => e.id)].sort((a, b) => b - a));
    for (const e of events) {
      expect(e.course_id).toBe('c1');
      expect(e.at).toMatch(CANONICAL);
    }
    const [feedback, submit, release, , , created] = events;
    expect(created).toMatchObject({ actor: 'root', detail: { instructors: ['ins', 'ins2'] } });
    expect(events[3]).toMatchObject({
      actor: 'ins',
      student_id: 'stu2',
      detail: { role: 'student' }
    });
    expect(release).toMatchObject({
      actor: 'ins',
      assignment_id: 'a1',
      files: 1,
      bytes: '{"cells": []}'.length,
      checksum: sha256sumOfTree({ 'a1.ipynb': '{"cells": []}' })
    });
    expect(submit).toMatchObject({
      actor: 'stu',
      student_id: 'stu',
      assignment_id: 'a1',
      timestamp,
      files: 1,
      bytes: '{"cells": [1]}'.length,
      checksum: sha256sumOfTree({ 'a1.ipynb': '{"cells": [1]}' })
    });
    expect(feedback).toMatchObject({
      actor: 'ins',
      student_id: 'stu',
      timestamp,
      files: 1,
      checksum: expect.stringMatching(HEX64)
    });
  });

  it('records downloads (fetch, collect, feedback fetch) but not listings', async () => {
    expectOk(await api.get('/api/assignment/c1/a1', 'stu2'));
    expectOk(await api.get('/api/assignment/c1/a1', 'stu2', { list_only: 'true' }));
    expectOk(await api.get('/api/submission/c1/a1/stu', 'ins'));
    expectOk(await api.get('/api/submission/c1/a1/stu', 'ins', { list_only: 'true' }));
    expectOk(await api.get('/api/feedback/c1/a1/stu', 'stu', { timestamp }));
    expectOk(await api.get('/api/v2/feedback/c1/a1/stu', 'stu'));
    const events = await history('ins');
    expect(events.slice(0, 4).map(e => [e.action, e.actor, e.student_id])).toEqual([
      ['feedback_fetch', 'stu', 'stu'],
      ['feedback_fetch', 'stu', 'stu'],
      ['collect', 'ins', 'stu'],
      ['fetch', 'stu2', null]
    ]);
    const release = events.find(e => e.action === 'release')!;
    expect(events[3]).toMatchObject({ files: 1, bytes: release.bytes, checksum: release.checksum });
    const submit = events.find(e => e.action === 'submit')!;
    expect(events[2]).toMatchObject({ timestamp, checksum: submit.checksum });
  });

  it('shows a student only what they did or what concerns them', async () => {
    expectOk(await api.get('/api/assignment/c1/a1', 'stu2'));
    const own = await history('stu');
    expect(own.map(e => e.action)).toEqual(['feedback_upload', 'submit', 'roster_add']);
    for (const e of own) {
      expect(e.actor === 'stu' || e.student_id === 'stu').toBe(true);
    }
    expect((await history('stu', { user_id: 'stu' })).length).toBe(own.length);
    expectError(
      await api.get('/api/v2/history/c1', 'stu', { user_id: 'stu2' }),
      403,
      'Permission denied (students see only their own history)'
    );
    expectError(
      await api.get('/api/v2/history/c1', 'stranger'),
      403,
      'Permission denied (not related to course)'
    );
    expectError(await api.get('/api/v2/history/nope', 'ins'), 404, 'Course not found');
    expectError(await api.get('/api/v2/history', 'ins'), 403, 'Permission denied (not admin)');
  });

  it('filters by assignment, student and action, and pages without gaps or repeats', async () => {
    for (let i = 0; i < 4; i++) {
      expectOk(
        await api.post('/api/submission/c1/a1', 'stu2', {
          files: filesOf([['a1.ipynb', b64(`{"cells": [${i}]}`)]])
        })
      );
    }
    const submits = await history('ins', { action: 'submit' });
    expect(submits.map(e => e.actor)).toEqual(['stu2', 'stu2', 'stu2', 'stu2', 'stu']);
    expect((await history('ins', { user_id: 'stu2', action: 'submit' })).length).toBe(4);
    expect((await history('ins', { assignment_id: 'a1' })).length).toBe(7);
    const all = await history('ins');
    const paged: Event[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = expectOk(
        await api.get('/api/v2/history/c1', 'ins', before ? { limit: '3', before } : { limit: '3' })
      );
      paged.push(...page.events);
      if (page.next_before === null) {
        break;
      }
      before = String(page.next_before);
    }
    expect(paged).toEqual(all);
  });

  it('refuses bad arguments with a clear 400', async () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ limit: '0' }, 'limit must be a whole number from 1 to 5000'],
      [{ limit: '5001' }, 'limit must be a whole number from 1 to 5000'],
      [{ limit: '1e3' }, 'limit must be a whole number from 1 to 5000'],
      [{ before: '-1' }, 'before must be an event id (a positive whole number)'],
      [{ before: '99999999999999999999' }, 'before must be an event id (a positive whole number)'],
      [{ format: 'xml' }, 'format must be json or csv']
    ];
    for (const [query, message] of bad) {
      expectError(await api.get('/api/v2/history/c1', 'ins', query), 400, message);
    }
    const unknown = await api.get('/api/v2/history/c1', 'ins', { action: 'drop tables' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/^Unknown action "drop tables": one of course_create, /);
  });

  it('exports CSV that a spreadsheet opens safely', async () => {
    expectOk(
      await api.post(`/api/student/c1/${encodeURIComponent('=HYPERLINK("x"), two')}`, 'ins', {
        first_name: '',
        last_name: '',
        email: ''
      })
    );
    const res = await api.get('/api/v2/history/c1', 'ins', { format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="ngshare-history-c1.csv"'
    );
    const lines = res.text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'id,at,course_id,actor,action,assignment_id,student_id,timestamp,files,bytes,checksum,detail'
    );
    const events = await history('ins');
    expect(lines.length).toBe(1 + events.length);
    // the newest row: the enrolment, the name quoted and defused (a leading ' before =)
    expect(lines[1]).toContain(`,roster_add,,"'=HYPERLINK(""x""), two",`);
    expect(lines[1].startsWith(`${events[0].id},`)).toBe(true);
    expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z,c1,ins,/);
    const students = await api.get('/api/v2/history/c1', 'stu', { format: 'csv' });
    expect(students.text.trimEnd().split('\n').length).toBe(1 + (await history('stu')).length);
  });

  it("gives a student receipts whose checksum sha256sum reproduces from the student's files", async () => {
    const files = { 'a1.ipynb': '{"cells": [9]}', 'data/z.csv': 'x,y\n', 'data/B.txt': 'b' };
    const second = expectOk(
      await api.post('/api/submission/c1/a1', 'stu', {
        files: JSON.stringify(Object.entries(files).map(([path, t]) => ({ path, content: b64(t) })))
      })
    ).timestamp;
    const receipts = expectOk(await api.get('/api/v2/receipts/c1', 'stu')).receipts;
    expect(receipts.map((r: Event) => r.timestamp)).toEqual([timestamp, second]);
    const latest = receipts[1];
    expect(latest).toMatchObject({
      assignment_id: 'a1',
      bytes: Object.values(files).join('').length,
      checksum: sha256sumOfTree(files)
    });
    expect(latest.files.map((f: Event) => f.path).sort()).toEqual(Object.keys(files).sort());
    for (const f of latest.files) {
      expect(f).toEqual({
        path: f.path,
        size: files[f.path as keyof typeof files].length,
        md5: expect.stringMatching(/^[0-9a-f]{32}$/),
        sha256: expect.stringMatching(HEX64)
      });
    }
    const submitEvent = (await history('stu', { action: 'submit' }))[0];
    expect(submitEvent.checksum).toBe(latest.checksum);
    // instructors may look up a student's; students only their own
    expect(
      expectOk(await api.get('/api/v2/receipts/c1', 'ins', { user_id: 'stu' })).receipts
    ).toEqual(receipts);
    expect(expectOk(await api.get('/api/v2/receipts/c1', 'ins')).receipts).toEqual([]);
    expectError(
      await api.get('/api/v2/receipts/c1', 'stu', { user_id: 'stu2' }),
      403,
      'Permission denied (not course instructor)'
    );
    expectError(
      await api.get('/api/v2/receipts/c1', 'ins', { user_id: 'ghost' }),
      404,
      'Student not found'
    );
    expectError(await api.get('/api/v2/receipts/nope', 'stu'), 404, 'Course not found');
  });

  it('keeps the record of an unreleased assignment and of a deleted course, for admins', async () => {
    expectOk(await api.del('/api/assignment/c1/a1', 'ins'));
    const [unrelease] = await history('ins');
    expect(unrelease).toMatchObject({
      action: 'unrelease',
      assignment_id: 'a1',
      detail: { submissions_deleted: 1 }
    });
    expect((await history('ins', { action: 'submit' })).length).toBe(1);
    expectOk(await api.post('/api/course/c2', 'root', { instructors: '["ins"]' }));
    expectOk(await api.del('/api/course/c1', 'root'));
    const kept = await history('root');
    expect(kept[0]).toMatchObject({ action: 'course_delete', actor: 'root' });
    expect(kept.length).toBe(8);
    expectError(await api.get('/api/v2/history/c1', 'ins'), 404, 'Course not found');
    const everything = expectOk(await api.get('/api/v2/history', 'root')).events as Event[];
    expect(everything[0]).toMatchObject({ action: 'course_delete', course_id: 'c1' });
    expect(everything[1]).toMatchObject({ action: 'course_create', course_id: 'c2' });
    expect(everything.length).toBe(kept.length + 1);
  });

  it('records deadline, extension and roster removals, and a bulk enrolment per new student', async () => {
    expectOk(
      await api.post('/api/v2/deadline/c1/a1', 'ins', { due: '2030-01-01T12:00:00Z', hard: 'true' })
    );
    expectOk(await api.post('/api/v2/extension/c1/a1/stu', 'ins', { due: '2030-01-03T12:00:00Z' }));
    expectOk(await api.del('/api/v2/extension/c1/a1/stu', 'ins'));
    expectOk(await api.del('/api/v2/deadline/c1/a1', 'ins'));
    expectOk(await api.del('/api/student/c1/stu2', 'ins'));
    expectOk(
      await api.post('/api/students/c1', 'ins', {
        students: JSON.stringify([
          { username: 'stu', first_name: '', last_name: '', email: '' },
          { username: 'new1', first_name: '', last_name: '', email: '' },
          { username: 'new2', first_name: '', last_name: '', email: '' }
        ])
      })
    );
    const events = await history('ins');
    expect(events.slice(0, 7).map(e => [e.action, e.student_id, e.detail])).toEqual([
      ['roster_add', 'new2', { role: 'student' }],
      ['roster_add', 'new1', { role: 'student' }],
      ['roster_remove', 'stu2', { role: 'student' }],
      ['deadline_clear', null, null],
      ['extension_revoke', 'stu', null],
      ['extension_set', 'stu', { due: '2030-01-03T12:00:00Z' }],
      ['deadline_set', null, { due: '2030-01-01T12:00:00Z', hard: true }]
    ]);
  });

  itConformsToOpenApi();
});
