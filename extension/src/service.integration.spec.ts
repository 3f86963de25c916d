/**
 * @jest-environment node
 *
 * The extension's client, models and file bridge against the real service (service/lib/cli.js,
 * built by `npm run build`), started here in vngshare mode on 127.0.0.1 with a temporary SQLite
 * database. Only the Jupyter contents API is a stand-in (in memory, with Jupyter Server's rules).
 * The deadline block checks the v2 routes the client sends and the lateness the service marks.
 */
import { localTimestamp } from './vocabulary/time';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { NgshareClient, ResponseError } from './api';
import { describeProblem } from './vocabulary/problems';
import { secondsUntil } from './vocabulary/time';
import { ContentsBridge } from './files';
import { AssignmentsModel, ConnectionModel, CoursesModel, InstructorModel } from './models';
import { MemoryContents } from './testutils/memory-contents';
import { DEFAULT_SETTINGS } from './tokens';

const CLI = path.resolve(__dirname, '../../service/lib/cli.js');
const haveService = fs.existsSync(CLI);
if (!haveService) {
  console.warn(`service not built (${CLI} missing): run npm run build -w @ngshare-ts/service`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let proc: ChildProcess | null = null;
let baseUrl = '';
let tmp = '';

beforeAll(async () => {
  if (!haveService) {
    return;
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-ext-it-'));
  const port = await freePort();
  proc = spawn(
    process.execPath,
    [
      CLI,
      '--vngshare',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--admins',
      'admin',
      '--database',
      `sqlite:///${path.join(tmp, 'db.sqlite')}`,
      '--storage',
      path.join(tmp, 'files'),
      '--log-level',
      'info'
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${out}`)), 20000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('"msg":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc!.stdout!.on('data', onData);
    proc!.stderr!.on('data', onData);
    proc!.on('exit', code => reject(new Error(`service exited with ${code}:\n${out}`)));
  });
  baseUrl = `http://127.0.0.1:${port}/api/`;
}, 30000);

afterAll(async () => {
  if (proc) {
    proc.removeAllListeners('exit');
    proc.kill('SIGTERM');
    await new Promise(r => proc!.once('exit', r));
  }
  if (tmp) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

function clientFor(user: string): NgshareClient {
  return new NgshareClient({ baseUrl, user, fetch: globalThis.fetch.bind(globalThis) });
}

const maybe = haveService ? describe : describe.skip;

maybe('extension against the real service', () => {
  const profFiles = new MemoryContents();
  const aliceFiles = new MemoryContents();
  const bobFiles = new MemoryContents();
  const settings = () => ({ ...DEFAULT_SETTINGS, courseDirectory: 'course101' });
  const binary = new Uint8Array(Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) % 256));

  it('passes the version handshake', async () => {
    expect(await new ConnectionModel(clientFor('alice')).check()).toBeNull();
  });

  it('lets an admin create a course and an instructor import the roster from CSV', async () => {
    await clientFor('admin').createCourse('course101', ['prof']);
    const prof = new InstructorModel({
      client: clientFor('prof'),
      files: new ContentsBridge(profFiles),
      user: 'prof',
      settings
    });
    await prof.setCourse('course101');
    const preview = prof.roster.previewCsv(
      'student_id,first_name,last_name,email\nalice,Alice,A,alice@example.org\nbob,Bob,B,\nprof,P,R,\n',
      false
    );
    expect(preview.adds.map(r => r.student_id)).toEqual(['alice', 'bob']);
    const results = await prof.roster.applyImport(preview);
    expect(results.every(r => r.success)).toBe(true);
    expect(prof.roster.section.items.students.map(s => s.username)).toEqual(['alice', 'bob']);

    const roles = new CoursesModel(clientFor('admin'), 'admin');
    await roles.refresh();
    expect(roles.courses.items).toEqual([{ course: 'course101', role: 'admin' }]);
    const profRoles = new CoursesModel(clientFor('prof'), 'prof');
    await profRoles.refresh();
    expect(profRoles.courses.items).toEqual([{ course: 'course101', role: 'instructor' }]);
    const aliceRoles = new CoursesModel(clientFor('alice'), 'alice');
    await aliceRoles.refresh();
    expect(aliceRoles.courses.items).toEqual([{ course: 'course101', role: 'student' }]);
  });

  it('runs release -> fetch -> submit -> collect -> feedback end to end', async () => {
    profFiles.put('course101/release/ps1/p1.ipynb', '{"cells": [], "nbformat": 4}');
    profFiles.put('course101/release/ps1/data/blob.bin', binary);
    const prof = new InstructorModel({
      client: clientFor('prof'),
      files: new ContentsBridge(profFiles),
      user: 'prof',
      settings
    });
    await prof.setCourse('course101');
    expect(await prof.release('ps1')).toBe(2);
    await expect(prof.release('ps1')).rejects.toThrow(/already exists/);

    const alice = new AssignmentsModel({
      client: clientFor('alice'),
      files: new ContentsBridge(aliceFiles),
      user: 'alice'
    });
    await alice.refreshCourses();
    expect(alice.released.items.map(i => i.assignment)).toEqual(['ps1']);
    await alice.fetch('ps1');
    expect(Array.from(aliceFiles.bytes('ps1/data/blob.bin')!)).toEqual(Array.from(binary));
    aliceFiles.put('ps1/p1.ipynb', '{"cells": ["alice 1"]}');
    await alice.submit(await alice.prepareSubmission('ps1'));
    aliceFiles.put('ps1/p1.ipynb', '{"cells": ["alice 2"]}');
    const plan = await alice.prepareSubmission('ps1');
    expect(plan.previousSubmissions).toBe(1);
    const aliceTs = await alice.submit(plan);
    expect(aliceTs).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);

    const bob = new AssignmentsModel({
      client: clientFor('bob'),
      files: new ContentsBridge(bobFiles),
      user: 'bob'
    });
    await bob.refreshCourses();
    await bob.fetch('ps1');
    await bob.submit(await bob.prepareSubmission('ps1'));

    const collected = await prof.submissions.collect('ps1');
    expect(collected.map(o => [o.student, o.status])).toEqual([
      ['alice', 'collected'],
      ['bob', 'collected']
    ]);
    expect(profFiles.text('course101/submitted/alice/ps1/p1.ipynb')).toBe('{"cells": ["alice 2"]}');
    expect(profFiles.text('course101/submitted/alice/ps1/timestamp.txt')).toBe(aliceTs);
    expect(Array.from(profFiles.bytes('course101/submitted/bob/ps1/data/blob.bin')!)).toEqual(
      Array.from(binary)
    );
    expect((await prof.submissions.collect('ps1')).map(o => o.status)).toEqual([
      'skipped',
      'skipped'
    ]);

    profFiles.put('course101/feedback/alice/ps1/p1.html', '<html>Well done, Alice</html>');
    profFiles.put('course101/feedback/alice/ps1/timestamp.txt', aliceTs);
    const released = await prof.submissions.releaseFeedback('ps1');
    expect(released).toEqual([
      {
        student: 'alice',
        status: 'released',
        detail: `1 file(s) for the submission of ${localTimestamp(aliceTs)}`
      }
    ]);

    await alice.refresh();
    const subs = alice.submitted.items[0].submissions;
    expect(subs.map(s => s.feedback)).toEqual(['none', 'available']);
    const written = await alice.fetchFeedback('ps1');
    expect(written).toEqual([`ps1/feedback/${aliceTs}/p1.html`]);
    expect(aliceFiles.text(written[0])).toBe('<html>Well done, Alice</html>');
    await alice.refresh();
    expect(alice.submitted.items[0].submissions[1].feedback).toBe('fetched');

    await prof.submissions.loadMatrix();
    const states = Object.fromEntries(
      prof.submissions.matrix.items.rows.map(r => [r.student, r.cells.ps1.state])
    );
    expect(states).toEqual({ alice: 'feedback', bob: 'collected' });
    expect(await prof.deletionImpact('ps1')).toEqual({
      course: 'course101',
      assignment: 'ps1',
      submissions: 3,
      students: 2
    });
  }, 30000);

  it('shows the course history to the instructor, exports it, and gives a student receipts', async () => {
    const prof = new InstructorModel({
      client: clientFor('prof'),
      files: new ContentsBridge(profFiles),
      user: 'prof',
      settings
    });
    await prof.setCourse('course101');
    await prof.history.load('course101');
    const events = prof.history.state.section.items;
    const actions = events.map(e => e.action);
    // newest first: the feedback alice fetched, what prof released and collected, the roster
    expect(actions[0]).toBe('feedback_fetch');
    for (const action of [
      'release',
      'fetch',
      'submit',
      'collect',
      'feedback_upload',
      'roster_add'
    ]) {
      expect(actions).toContain(action);
    }
    expect(events.filter(e => e.action === 'submit').map(e => e.actor)).toEqual([
      'bob',
      'alice',
      'alice'
    ]);
    await prof.history.load('course101', 'submit');
    expect(prof.history.state.section.items.map(e => e.action)).toEqual([
      'submit',
      'submit',
      'submit'
    ]);
    const csv = await prof.history.exportCsv();
    expect(csv.name).toBe('ngshare-history-course101-submit.csv');
    expect(csv.text.split('\n')[0]).toBe(
      'id,at,course_id,actor,action,assignment_id,student_id,timestamp,files,bytes,checksum,detail'
    );
    expect(csv.text.trimEnd().split('\n').length).toBe(4);

    const alice = new AssignmentsModel({
      client: clientFor('alice'),
      files: new ContentsBridge(aliceFiles),
      user: 'alice'
    });
    await alice.refreshCourses();
    const [first, second] = alice.submitted.items[0].submissions;
    const { createHash } = await import('crypto');
    const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
    // the tree checksum: sha256 of sha256sum's lines for the files in path order
    const expected = sha(
      `${sha(binary)}  data/blob.bin\n${sha('{"cells": ["alice 2"]}')}  p1.ipynb\n`
    );
    expect(second.receipt).toMatchObject({ assignment: 'ps1', checksum: expected });
    expect(second.receipt!.files.map(f => [f.path, f.size]).sort()).toEqual([
      ['data/blob.bin', 1000],
      ['p1.ipynb', '{"cells": ["alice 2"]}'.length]
    ]);
    expect(first.receipt!.checksum).not.toBe(expected);
    const submitEvents = events.filter(e => e.action === 'submit' && e.actor === 'alice');
    expect(submitEvents[0].checksum).toBe(expected);
  });

  it('publishes a new version that students fetch, keeping every submission', async () => {
    const prof = new InstructorModel({
      client: clientFor('prof'),
      files: new ContentsBridge(profFiles),
      user: 'prof',
      settings
    });
    await prof.setCourse('course101');
    const before = await prof.deletionImpact('ps1');
    profFiles.put('course101/release/ps1/p1.ipynb', '{"cells": ["typo fixed"], "nbformat": 4}');
    expect(await prof.publishVersion('ps1')).toEqual({
      version: 2,
      added: [],
      changed: ['p1.ipynb'],
      removed: []
    });
    expect(await prof.deletionImpact('ps1')).toEqual(before);
    const carolFiles = new MemoryContents();
    const fresh = new AssignmentsModel({
      client: clientFor('bob'),
      files: new ContentsBridge(carolFiles),
      user: 'bob'
    });
    await fresh.refreshCourses();
    await fresh.fetch('ps1');
    expect(carolFiles.text('ps1/p1.ipynb')).toBe('{"cells": ["typo fixed"], "nbformat": 4}');
    await fresh.refresh();
    expect(fresh.downloaded.items[0].update).toBeUndefined(); // fetched version 2 already

    // alice fetched version 1 and edited p1.ipynb: told, and her edits stay
    const alice = new AssignmentsModel({
      client: clientFor('alice'),
      files: new ContentsBridge(aliceFiles),
      user: 'alice'
    });
    await alice.refreshCourses();
    expect(alice.downloaded.items[0].update).toEqual({ current: 2, fetched: 1 });
    const mine = aliceFiles.text('ps1/p1.ipynb');
    const plan = await alice.prepareUpdate('ps1');
    expect(plan).toMatchObject({
      from: 1,
      to: 2,
      restore: [],
      replace: [],
      beside: [{ path: 'p1.ipynb', copy: 'p1 (version 2).ipynb' }],
      same: 1
    });
    expect((await alice.applyUpdate('ps1')).written).toEqual(['p1 (version 2).ipynb']);
    expect(aliceFiles.text('ps1/p1.ipynb')).toBe(mine);
    expect(aliceFiles.text('ps1/p1 (version 2).ipynb')).toBe(
      '{"cells": ["typo fixed"], "nbformat": 4}'
    );
    await alice.refresh();
    expect(alice.downloaded.items[0].update).toBeUndefined();
    await expect(prof.publishVersion('ps1')).rejects.toThrow(
      'These files are the same as version 2: nothing to publish'
    );
  });

  it('reports the service message when a student tries an instructor action', async () => {
    await expect(clientFor('alice').listSubmissions('course101', 'ps1')).rejects.toThrow(
      /Permission denied/
    );
  });
});

/** The v2 calls a client sends, as the service receives them (method, path, form). */
function recordingClient(user: string): { client: NgshareClient; sent: string[] } {
  const sent: string[] = [];
  const client = new NgshareClient({
    baseUrl,
    user,
    fetch: async (input, init) => {
      const url = String(input);
      if (url.includes('/v2/')) {
        const body = init?.body ? ` ${decodeURIComponent(String(init.body))}` : '';
        sent.push(`${init?.method ?? 'GET'} ${url.slice(baseUrl.length).split('?')[0]}${body}`);
      }
      return globalThis.fetch(input, init);
    }
  });
  return { client, sent };
}

/** ISO 8601 UTC `hours` from now, whole seconds. */
function hoursFromNow(hours: number): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + hours * 3600_000)
    .toISOString()
    .replace('.000Z', 'Z');
}

maybe('deadlines against the real service (v2 routes)', () => {
  const course = 'dl101';
  const profFiles = new MemoryContents();
  const aliceFiles = new MemoryContents();
  const settings = () => ({ ...DEFAULT_SETTINGS, courseDirectory: course });
  let prof: InstructorModel;
  let profSent: string[];
  let alice: AssignmentsModel;

  beforeAll(async () => {
    await clientFor('admin').createCourse(course, ['prof']);
    await clientFor('prof').addStudents(course, [
      { username: 'alice', first_name: 'Alice', last_name: 'A', email: '' },
      { username: 'bob', first_name: 'Bob', last_name: 'B', email: '' }
    ]);
    profFiles.put(`${course}/release/ps1/p1.ipynb`, '{"cells": [], "nbformat": 4}');
    const recording = recordingClient('prof');
    profSent = recording.sent;
    prof = new InstructorModel({
      client: recording.client,
      files: new ContentsBridge(profFiles),
      user: 'prof',
      settings
    });
    await prof.setCourse(course);
    await prof.release('ps1');
    alice = new AssignmentsModel({
      client: clientFor('alice'),
      files: new ContentsBridge(aliceFiles),
      user: 'alice',
      settings: () => DEFAULT_SETTINGS
    });
    await alice.selectCourse(course);
    await alice.fetch('ps1');
  });

  it('sets a hard deadline through POST v2/deadline; the student sees it with time left', async () => {
    const due = hoursFromNow(50);
    expect(await prof.deadlines.setDeadline('ps1', due, true)).toBe(true);
    expect(profSent).toContain(`POST v2/deadline/${course}/ps1 due=${due}&hard=true&user=prof`);
    expect(prof.deadlines.deadlineOf('ps1')).toEqual({
      assignment: 'ps1',
      due,
      hard: true,
      released: true,
      extensions: []
    });
    await alice.refresh();
    const d = alice.deadlineOf('ps1')!;
    expect(d).toEqual({ assignment: 'ps1', due, hard: true, extension: null, effectiveDue: due });
    expect(secondsUntil(d.effectiveDue, new Date()) / 3600).toBeCloseTo(50, 1);
  });

  it('refuses a submission after a hard deadline, in the exchange’s words', async () => {
    const due = hoursFromNow(-1);
    await prof.deadlines.setDeadline('ps1', due, true);
    const plan = await alice.prepareSubmission('ps1');
    const err = await alice.submit(plan).then(
      () => null,
      (e: unknown) => e
    );
    expect(err).toBeInstanceOf(ResponseError);
    expect((err as ResponseError).isDeadlineClosed).toBe(true);
    const problem = describeProblem(err);
    expect(problem.kind).toBe('closed');
    expect(problem.summary).toBe(
      `The exchange says: Submissions to ps1 closed at its hard deadline, ${due} (UTC).`
    );
    expect(await clientFor('alice').listStudentSubmissions(course, 'ps1', 'alice')).toEqual([]);
  });

  it('marks a submission after a soft deadline late, for the student and in the matrix', async () => {
    const due = hoursFromNow(-2);
    await prof.deadlines.setDeadline('ps1', due, false);
    const ts = await alice.submit(await alice.prepareSubmission('ps1'));
    await alice.refresh();
    const mine = alice.submitted.items.find(i => i.assignment === 'ps1')!.submissions;
    expect(mine.map(s => s.timestamp)).toEqual([ts]);
    expect(mine[0].lateness?.late).toBe(true);
    expect(mine[0].lateness?.due).toBe(due);
    // two hours late, give or take the test's own seconds
    expect(mine[0].lateness!.secondsLate).toBeGreaterThan(7190);
    expect(mine[0].lateness!.secondsLate).toBeLessThan(7300);

    await prof.refresh();
    await prof.submissions.loadMatrix();
    const cell = prof.submissions.matrix.items.rows.find(r => r.student === 'alice')!.cells.ps1;
    expect(cell.lateness?.[ts]?.late).toBe(true);
    expect(profSent).toContain(`GET v2/deadline/${course}/ps1`);

    // an extension past the submission makes it on time, at the next look
    expect(await prof.deadlines.grantExtension('ps1', 'alice', hoursFromNow(1))).toBe(true);
    await prof.submissions.loadMatrix();
    const again = prof.submissions.matrix.items.rows.find(r => r.student === 'alice')!.cells.ps1;
    expect(again.lateness?.[ts]).toMatchObject({ late: false, secondsLate: 0 });
  });

  it('shows the exchange’s refusal of an edit, and clears a deadline', async () => {
    const deadline = prof.deadlines.deadlineOf('ps1')!.due;
    expect(await prof.deadlines.grantExtension('ps1', 'bob', hoursFromNow(-30))).toBe(false);
    expect(prof.deadlines.error?.problem.summary).toBe(
      `The exchange says: An extension must end after the deadline (${deadline}).`
    );
    expect(await prof.deadlines.grantExtension('ps1', 'nobody', hoursFromNow(5))).toBe(false);
    expect(prof.deadlines.error?.problem.summary).toBe('The exchange says: Student not found.');

    expect(await prof.deadlines.clearDeadline('ps1')).toBe(true);
    expect(profSent).toContain(`DELETE v2/deadline/${course}/ps1 user=prof`);
    expect(prof.deadlines.deadlines.items).toEqual([]);
    expect(await prof.deadlines.clearDeadline('ps1')).toBe(false);
    expect(prof.deadlines.error?.problem.summary).toBe(
      'The exchange says: No deadline is set for this assignment.'
    );
    await alice.refresh();
    expect(alice.deadlineOf('ps1')).toBeNull();
  });
});
