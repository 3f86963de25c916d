import { localTimestamp } from '../vocabulary/time';
import { ContentsBridge, textToBase64 } from '../files';
import { FakeClient } from '../testutils/fake-client';
import { MemoryContents } from '../testutils/memory-contents';
import { DEFAULT_SETTINGS } from '../tokens';
import { InstructorModel } from './instructor';
import { latestPerStudent } from './submissions';
import { CoursesModel } from './courses';
import { parseRosterCsv } from './csv';

async function setup() {
  const client = new FakeClient();
  client.addCourse('c1');
  const course = client.courses.get('c1')!;
  course.instructors.set('prof', { username: 'prof', first_name: 'P', last_name: 'R', email: '' });
  for (const s of ['alice', 'bob', 'carol']) {
    course.students.set(s, { username: s, first_name: s, last_name: 'X', email: `${s}@x` });
  }
  const mem = new MemoryContents();
  const model = new InstructorModel({
    client,
    files: new ContentsBridge(mem),
    user: 'prof',
    settings: () => ({ ...DEFAULT_SETTINGS, courseDirectory: 'teach/{course}' })
  });
  await model.setCourse('c1');
  return { client, mem, model, course };
}

async function submitAs(client: FakeClient, student: string, text: string): Promise<string> {
  client.submitAs = student;
  return client.submit('c1', 'ps1', [
    { path: 'p1.ipynb', content: textToBase64(text) },
    { path: 'sub/data.txt', content: textToBase64(`data of ${student}`) }
  ]);
}

describe('InstructorModel', () => {
  it('releases release/<a>/ with nested files and lists local and released assignments', async () => {
    const { model, mem, client } = await setup();
    mem.put('teach/c1/release/ps1/p1.ipynb', '{"release": 1}');
    mem.put('teach/c1/release/ps1/img/a.png', new Uint8Array([137, 80, 78, 71]));
    mem.put('teach/c1/release/ps2/p2.ipynb', '{}');
    await model.refresh();
    expect(model.assignments.items.map(a => [a.assignment, a.released, a.local])).toEqual([
      ['ps1', false, true],
      ['ps2', false, true]
    ]);
    expect(await model.release('ps1')).toBe(2);
    const files = client.courses.get('c1')!.assignments.get('ps1')!;
    expect(files.map(f => f.path).sort()).toEqual(['img/a.png', 'p1.ipynb']);
    expect(model.assignments.items.find(a => a.assignment === 'ps1')!.released).toBe(true);
    await expect(model.release('ps1')).rejects.toThrow('Assignment already exists');
  });

  it('counts what an unrelease deletes, and re-releases with force', async () => {
    const { model, mem, client } = await setup();
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v1');
    await model.release('ps1');
    await submitAs(client, 'alice', 'a1');
    await submitAs(client, 'alice', 'a2');
    await submitAs(client, 'bob', 'b1');
    expect(await model.deletionImpact('ps1')).toEqual({
      course: 'c1',
      assignment: 'ps1',
      submissions: 3,
      students: 2
    });
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v2');
    await model.release('ps1', { force: true });
    expect(await model.deletionImpact('ps1')).toMatchObject({ submissions: 0 });
    const released = client.courses.get('c1')!.assignments.get('ps1')!;
    expect(Buffer.from(released[0].content, 'base64').toString()).toBe('v2');
    await model.unrelease('ps1');
    expect(client.courses.get('c1')!.assignments.has('ps1')).toBe(false);
  });

  it('publishes release/<a>/ as a new version, keeping submissions, and says what changed', async () => {
    const { model, mem, client } = await setup();
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v1');
    await model.release('ps1');
    await submitAs(client, 'alice', 'a1');
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v2 with the typo fixed');
    mem.put('teach/c1/release/ps1/hint.txt', 'hint');
    expect(await model.publishVersion('ps1')).toEqual({
      version: 2,
      added: ['hint.txt'],
      changed: ['p1.ipynb'],
      removed: []
    });
    const released = client.courses.get('c1')!.assignments.get('ps1')!;
    expect(released.map(f => f.path).sort()).toEqual(['hint.txt', 'p1.ipynb']);
    expect(await model.deletionImpact('ps1')).toMatchObject({ submissions: 1 });
    await expect(model.publishVersion('ps1')).rejects.toThrow(
      'These files are the same as version 2: nothing to publish'
    );
    expect(model.tasks.isRunning('release:ps1')).toBe(false);
  });

  it('collects the latest submission per student with timestamp.txt, then only newer ones', async () => {
    const { model, mem, client } = await setup();
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v1');
    await model.release('ps1');
    await submitAs(client, 'alice', 'alice first');
    const aliceLatest = await submitAs(client, 'alice', 'alice second');
    const bobTs = await submitAs(client, 'bob', 'bob only');

    const first = await model.submissions.collect('ps1');
    expect(first.map(o => [o.student, o.status])).toEqual([
      ['alice', 'collected'],
      ['bob', 'collected']
    ]);
    expect(mem.text('teach/c1/submitted/alice/ps1/p1.ipynb')).toBe('alice second');
    expect(mem.text('teach/c1/submitted/alice/ps1/sub/data.txt')).toBe('data of alice');
    expect(mem.text('teach/c1/submitted/alice/ps1/timestamp.txt')).toBe(aliceLatest);
    expect(mem.text('teach/c1/submitted/bob/ps1/timestamp.txt')).toBe(bobTs);

    const again = await model.submissions.collect('ps1');
    expect(again.map(o => o.status)).toEqual(['skipped', 'skipped']);
    expect(again[0].detail).toMatch(/no newer submission/);

    // bob submits again without the sub folder: the update replaces the old copy
    client.submitAs = 'bob';
    const bobNew = await client.submit('c1', 'ps1', [
      { path: 'p1.ipynb', content: textToBase64('bob again') }
    ]);
    const third = await model.submissions.collect('ps1', 'bob');
    expect(third).toEqual([
      {
        student: 'bob',
        status: 'updated',
        detail: `${localTimestamp(bobTs)} -> ${localTimestamp(bobNew)}`
      }
    ]);
    expect(mem.text('teach/c1/submitted/bob/ps1/p1.ipynb')).toBe('bob again');
    expect(mem.bytes('teach/c1/submitted/bob/ps1/sub/data.txt')).toBeUndefined();
    expect(mem.text('teach/c1/submitted/bob/ps1/timestamp.txt')).toBe(bobNew);
  });

  it('reports a failure per student instead of stopping the collect', async () => {
    const { model, mem, client } = await setup();
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v1');
    await model.release('ps1');
    await submitAs(client, 'alice', 'a');
    await submitAs(client, 'bob', 'b');
    const original = client.getSubmission.bind(client);
    client.getSubmission = async (c, a, s, o) => {
      if (s === 'alice') {
        throw new Error('Submission not found');
      }
      return original(c, a, s, o);
    };
    const outcomes = await model.submissions.collect('ps1');
    expect(outcomes).toEqual([
      { student: 'alice', status: 'failed', detail: 'Submission not found' },
      expect.objectContaining({ student: 'bob', status: 'collected' })
    ]);
  });

  it('releases feedback/<s>/<a>/*.html for the submission named by timestamp.txt', async () => {
    const { model, mem, client } = await setup();
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v1');
    await model.release('ps1');
    const ts = await submitAs(client, 'alice', 'a');
    await submitAs(client, 'bob', 'b');
    mem.put('teach/c1/feedback/alice/ps1/p1.html', '<p>well done</p>');
    mem.put('teach/c1/feedback/alice/ps1/timestamp.txt', ts + '\n');
    mem.put('teach/c1/feedback/bob/ps1/p1.html', '<p>no ts</p>');
    const outcomes = await model.submissions.releaseFeedback('ps1');
    expect(outcomes.map(o => [o.student, o.status])).toEqual([
      ['alice', 'released'],
      ['bob', 'skipped']
    ]);
    const fb = await client.getFeedback('c1', 'ps1', 'alice', ts);
    expect(fb.files.map(f => f.path)).toEqual(['p1.html']);
    expect(Buffer.from(fb.files[0].content!, 'base64').toString()).toBe('<p>well done</p>');
    // the feedback count is computed in the background after the refresh
    for (let i = 0; i < 50 && model.assignments.items[0].feedbackCount === null; i++) {
      await new Promise(r => setTimeout(r, 1));
    }
    expect(model.assignments.items[0].feedbackCount).toBe(1);
    expect(model.assignments.items[0].studentsSubmitted).toBe(2);
  });

  it('builds the students x assignments matrix with states', async () => {
    const { model, mem, client } = await setup();
    mem.put('teach/c1/release/ps1/p1.ipynb', 'v1');
    await model.release('ps1');
    await submitAs(client, 'alice', '1');
    await submitAs(client, 'alice', '2');
    const bobTs = await submitAs(client, 'bob', '1');
    client.submitAs = 'ghost';
    await client.submit('c1', 'ps1', []);
    await model.submissions.collect('ps1', 'bob');
    mem.put('teach/c1/feedback/bob/ps1/p1.html', 'fb');
    mem.put('teach/c1/feedback/bob/ps1/timestamp.txt', bobTs);
    await model.submissions.releaseFeedback('ps1', 'bob');
    await model.submissions.loadMatrix();
    const states = Object.fromEntries(
      model.submissions.matrix.items.rows.map(r => [r.student, [r.cells.ps1.state, r.enrolled]])
    );
    expect(states).toEqual({
      alice: ['resubmitted', true],
      bob: ['feedback', true],
      carol: ['none', true],
      ghost: ['submitted', false]
    });
    expect(model.submissions.notSubmitted('ps1')).toEqual(['carol']);
  });

  it('makes the roster follow a hub group, syncs it, and stops following', async () => {
    const { model, client } = await setup();
    await model.refresh();
    expect(model.roster.section.items.groups).toBeNull(); // kept by hand
    client.hubGroups.set('nbgrader-c1', ['alice', 'dora']);
    const first = await model.roster.followGroups('nbgrader-c1');
    expect(first).toEqual({
      addedStudents: ['dora'],
      removedStudents: ['bob', 'carol'],
      addedInstructors: [],
      removedInstructors: [],
      skipped: []
    });
    expect(model.roster.section.items.students.map(s => s.username).sort()).toEqual([
      'alice',
      'dora'
    ]);
    expect(model.roster.section.items.groups).toMatchObject({
      studentGroup: 'nbgrader-c1',
      instructorGroup: null,
      lastChanges: first
    });
    client.hubGroups.set('nbgrader-c1', ['alice', 'dora', 'eve']);
    expect((await model.roster.syncGroups()).addedStudents).toEqual(['eve']);
    await model.roster.unfollowGroups();
    expect(model.roster.section.items.groups).toBeNull();
    expect(model.roster.section.items.students).toHaveLength(3); // the roster stays
  });

  it('offers no hub groups on an exchange without v2 routes', async () => {
    const { model, client } = await setup();
    client.deadlinesSupported = false;
    await model.refresh();
    expect(model.roster.section.status).toBe('ready');
    expect(model.roster.section.items.groups).toBeUndefined();
  });

  it('manages the roster and imports a CSV with per-row results', async () => {
    const { model, client } = await setup();
    await model.roster.saveStudent('dave', { first_name: 'D', last_name: 'V', email: 'd@x' });
    expect(model.roster.section.items.students.map(s => s.username)).toContain('dave');
    await model.roster.removeStudent('dave');
    expect(model.roster.section.items.students.map(s => s.username)).not.toContain('dave');

    const preview = model.roster.previewCsv(
      'student_id,first_name,last_name,email\nalice,alice,X,alice@x\nbob,Robert,X,bob@x\nerin,E,R,e@x\n,no,id,\nprof,P,R,\n',
      true
    );
    expect(preview.adds.map(r => r.student_id)).toEqual(['erin']);
    expect(preview.updates.map(r => r.student_id)).toEqual(['bob']);
    expect(preview.unchanged.map(r => r.student_id)).toEqual(['alice']);
    expect(preview.invalid.map(r => r.error)).toEqual([
      'empty student_id',
      'is an instructor of this course'
    ]);
    expect(preview.removals).toEqual(['carol']);
    const results = await model.roster.applyImport(preview);
    expect(results).toEqual([
      { student: 'erin', action: 'add', success: true, message: 'ok' },
      { student: 'bob', action: 'update', success: true, message: 'ok' },
      { student: 'carol', action: 'remove', success: true, message: 'ok' }
    ]);
    expect(client.courses.get('c1')!.students.get('bob')!.first_name).toBe('Robert');
    expect(model.roster.section.items.students.map(s => s.username).sort()).toEqual([
      'alice',
      'bob',
      'erin'
    ]);
  });

  it('takes the course directory from the template or a per-course override', async () => {
    const { model } = await setup();
    expect(model.courseDir()).toBe('teach/c1');
    const other = new InstructorModel({
      client: new FakeClient(),
      files: new ContentsBridge(new MemoryContents()),
      user: 'p',
      settings: () => ({ ...DEFAULT_SETTINGS, courseDirectories: { c9: '' } })
    });
    expect(other.courseDir('c9')).toBe('');
    expect(other.courseDir('c8')).toBe('c8');
    expect(() => other.courseDir('../x')).toThrow();
  });
});

describe('helpers', () => {
  it('latestPerStudent compares timestamps, not insertion order', () => {
    const latest = latestPerStudent([
      { student_id: 'a', timestamp: '2026-01-02 00:00:00.000001' },
      { student_id: 'a', timestamp: '2026-01-01 00:00:00.000001' },
      { student_id: 'b', timestamp: '2026-01-01 00:00:00.5' }
    ]);
    expect(latest.get('a')).toBe('2026-01-02 00:00:00.000001');
    expect(latest.get('b')).toBe('2026-01-01 00:00:00.5');
  });

  it('parses quoted CSV fields and a BOM', () => {
    const rows = parseRosterCsv('\uFEFFemail,student_id\r\n"a@x, b",s1\r\n');
    expect(rows).toEqual([
      { line: 2, student_id: 's1', first_name: '', last_name: '', email: 'a@x, b' }
    ]);
    expect(() => parseRosterCsv('name,mail\nx,y')).toThrow(/student_id/);
  });
});

describe('CoursesModel', () => {
  it('works out the role per course', async () => {
    const client = new FakeClient();
    for (const c of ['teach', 'take', 'other']) {
      client.addCourse(c);
    }
    client.courses.get('teach')!.instructors.set('me', {
      username: 'me',
      first_name: null,
      last_name: null,
      email: null
    });
    client.courses.get('take')!.students.set('me', {
      username: 'me',
      first_name: null,
      last_name: null,
      email: null
    });
    const model = new CoursesModel(client, 'me');
    await model.refresh();
    expect(model.courses.items).toEqual([
      { course: 'other', role: 'admin' },
      { course: 'take', role: 'student' },
      { course: 'teach', role: 'instructor' }
    ]);
    expect(model.isAdmin).toBe(true);
    expect(model.teaching.map(c => c.course)).toEqual(['other', 'teach']);
  });

  it('believes the service when it says we are an admin', async () => {
    const client = new FakeClient();
    client.addCourse('mine');
    client.courses.get('mine')!.instructors.set('me', {
      username: 'me',
      first_name: null,
      last_name: null,
      email: null
    });
    let hint: boolean | null = null;
    const model = new CoursesModel(client, 'me', () => hint);
    await model.refresh();
    expect(model.isAdmin).toBe(false);
    hint = true;
    expect(model.isAdmin).toBe(true);
  });

  it('shows a failure of the course list as an error state', async () => {
    const client = new FakeClient();
    client.listCourses = async () => {
      throw new Error('The exchange service is not reachable');
    };
    const model = new CoursesModel(client, 'me');
    await model.refresh();
    expect(model.courses.status).toBe('error');
    expect(model.courses.error?.summary).toMatch(/not reachable/);
  });
});
