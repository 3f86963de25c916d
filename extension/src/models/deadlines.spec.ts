import { ContentsBridge, textToBase64 } from '../files';
import { FakeClient } from '../testutils/fake-client';
import { MemoryContents } from '../testutils/memory-contents';
import { DEFAULT_SETTINGS } from '../tokens';
import { durationParts, isoToLocalInput, localInputToIso, secondsUntil } from '../vocabulary/time';
import { AssignmentsModel } from './assignments';
import { effectiveDue, studentDeadline } from './deadlines';
import { InstructorModel } from './instructor';

// Local times below are New York's: jest.config.js sets TZ for every unit test.

/** A course c1 with ps1 released, prof teaching and alice, bob enrolled. The fake's clock makes
 * submissions at 2026-11-25 10:00:01, :02, ... UTC. */
function exchange(): FakeClient {
  const client = new FakeClient();
  client.addCourse('c1');
  const c = client.courses.get('c1')!;
  c.instructors.set('prof', { username: 'prof', first_name: 'P', last_name: 'R', email: '' });
  for (const s of ['alice', 'bob']) {
    c.students.set(s, { username: s, first_name: s, last_name: 'X', email: '' });
  }
  c.assignments.set('ps1', [{ path: 'p1.ipynb', content: textToBase64('{}') }]);
  return client;
}

function student(client: FakeClient, user = 'alice'): AssignmentsModel {
  return new AssignmentsModel({
    client,
    files: new ContentsBridge(new MemoryContents()),
    user,
    settings: () => DEFAULT_SETTINGS
  });
}

async function instructor(client: FakeClient): Promise<InstructorModel> {
  const model = new InstructorModel({
    client,
    files: new ContentsBridge(new MemoryContents()),
    user: 'prof',
    settings: () => DEFAULT_SETTINGS
  });
  client.submitAs = 'prof';
  await model.setCourse('c1');
  return model;
}

describe('due dates for people', () => {
  it('turns the viewer’s date-time input into UTC and back', () => {
    // 12:00 in New York in December is 17:00 UTC; in July (daylight saving time) 16:00 UTC
    expect(localInputToIso('2026-12-05T12:00')).toBe('2026-12-05T17:00:00Z');
    expect(localInputToIso('2026-07-05T12:00')).toBe('2026-07-05T16:00:00Z');
    expect(localInputToIso('2026-12-05T12:00:30')).toBe('2026-12-05T17:00:30Z');
    expect(isoToLocalInput('2026-12-05T17:00:00Z')).toBe('2026-12-05T12:00');
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('2026-02-30T12:00')).toBeNull();
    expect(localInputToIso('tomorrow')).toBeNull();
  });

  it('says how long is left in its two largest units', () => {
    const now = new Date('2026-12-03T14:30:00Z');
    expect(secondsUntil('2026-12-05T17:00:00Z', now)).toBe(2 * 86400 + 2.5 * 3600);
    expect(durationParts(2 * 86400 + 2.5 * 3600)).toEqual([
      { unit: 'day', count: 2 },
      { unit: 'hour', count: 2 }
    ]);
    expect(durationParts(3 * 3600 + 5)).toEqual([{ unit: 'hour', count: 3 }]);
    expect(durationParts(125)).toEqual([{ unit: 'minute', count: 2 }]);
    expect(durationParts(42.9)).toEqual([{ unit: 'second', count: 42 }]);
    expect(durationParts(-5)).toEqual([{ unit: 'second', count: 0 }]);
  });

  it('lets an extension lengthen, never shorten, the due date', () => {
    expect(effectiveDue('2026-12-05T17:00:00Z', '2026-12-07T17:00:00Z')).toBe(
      '2026-12-07T17:00:00Z'
    );
    expect(effectiveDue('2026-12-05T17:00:00Z', '2026-12-01T17:00:00Z')).toBe(
      '2026-12-05T17:00:00Z'
    );
    expect(
      studentDeadline(
        {
          assignment: 'ps1',
          due: '2026-12-05T17:00:00Z',
          hard: true,
          released: true,
          extensions: [{ student: 'alice', due: '2026-12-06T17:00:00Z' }]
        },
        'alice'
      )
    ).toEqual({
      assignment: 'ps1',
      due: '2026-12-05T17:00:00Z',
      hard: true,
      extension: '2026-12-06T17:00:00Z',
      effectiveDue: '2026-12-06T17:00:00Z'
    });
  });
});

describe('AssignmentsModel with deadlines', () => {
  it('lists the deadline with the student’s own extension and marks late submissions', async () => {
    const client = exchange();
    client.submitAs = 'prof';
    await client.setDeadline('c1', 'ps1', '2026-11-25T10:00:02Z', false);
    await client.grantExtension('c1', 'ps1', 'bob', '2026-11-25T10:00:30Z');
    client.submitAs = 'alice';
    const early = await client.submit('c1', 'ps1', []); // 10:00:01, on time
    client.nextTimestamp(); // 10:00:02 passes
    const late = await client.submit('c1', 'ps1', []); // 10:00:03, one second late
    const model = student(client);
    await model.selectCourse('c1');
    expect(model.deadlines.status).toBe('ready');
    expect(model.deadlineOf('ps1')).toEqual({
      assignment: 'ps1',
      due: '2026-11-25T10:00:02Z',
      hard: false,
      extension: null, // bob's extension is not alice's
      effectiveDue: '2026-11-25T10:00:02Z'
    });
    const subs = model.submitted.items[0].submissions;
    expect(subs.map(s => [s.timestamp, s.lateness?.late, s.lateness?.secondsLate])).toEqual([
      [early, false, 0],
      [late, true, 1]
    ]);

    const bob = student(client, 'bob');
    client.submitAs = 'bob';
    await bob.selectCourse('c1');
    expect(bob.deadlineOf('ps1')?.extension).toBe('2026-11-25T10:00:30Z');
    expect(bob.deadlineOf('ps1')?.effectiveDue).toBe('2026-11-25T10:00:30Z');
  });

  it('has no deadlines, and no error, on an exchange without the v2 routes', async () => {
    const client = exchange();
    client.deadlinesSupported = false;
    const model = student(client);
    await model.selectCourse('c1');
    expect(model.deadlines).toEqual({ status: 'ready', items: [], error: null });
    expect(model.released.items.map(i => i.assignment)).toEqual(['ps1']);
  });

  it('reports a failure to load deadlines apart, keeping the lists', async () => {
    const client = exchange();
    client.listDeadlines = async () => {
      throw new (await import('../api')).ResponseError(500, 'v2/deadlines/c1', 'boom');
    };
    const model = student(client);
    await model.selectCourse('c1');
    expect(model.deadlines.status).toBe('error');
    expect(model.deadlines.error?.kind).toBe('server-error');
    expect(model.released.status).toBe('ready');
  });
});

describe('CourseDeadlinesModel (instructor)', () => {
  it('sets, changes and clears a deadline through the v2 deadline route', async () => {
    const client = exchange();
    const model = await instructor(client);
    expect(model.deadlines.deadlines).toEqual({ status: 'ready', items: [], error: null });
    expect(await model.deadlines.setDeadline('ps1', '2026-12-05T17:00:00Z', true)).toBe(true);
    expect(client.calls).toContain('POST v2/deadline/c1/ps1 due=2026-12-05T17:00:00Z hard=true');
    expect(model.deadlines.deadlineOf('ps1')).toEqual({
      assignment: 'ps1',
      due: '2026-12-05T17:00:00Z',
      hard: true,
      released: true,
      extensions: []
    });
    await model.deadlines.setDeadline('ps1', '2026-12-06T17:00:00Z', false);
    expect(model.deadlines.deadlineOf('ps1')?.hard).toBe(false);
    expect(await model.deadlines.clearDeadline('ps1')).toBe(true);
    expect(model.deadlines.deadlineOf('ps1')).toBeNull();
    expect(model.deadlines.error).toBeNull();
  });

  it('keeps the exchange’s words when it refuses an edit, by the assignment', async () => {
    const client = exchange();
    const model = await instructor(client);
    expect(await model.deadlines.grantExtension('ps1', 'alice', '2026-12-07T17:00:00Z')).toBe(
      false
    );
    expect(model.deadlines.error?.assignment).toBe('ps1');
    expect(model.deadlines.error?.problem.summary).toBe(
      'The exchange says: Set a deadline for this assignment before granting an extension.'
    );
    await model.deadlines.setDeadline('ps1', '2026-12-05T17:00:00Z', false);
    expect(model.deadlines.error).toBeNull(); // the next edit starts clean
    expect(await model.deadlines.grantExtension('ps1', 'alice', '2026-12-01T17:00:00Z')).toBe(
      false
    );
    expect(model.deadlines.error?.problem.summary).toBe(
      'The exchange says: An extension must end after the deadline (2026-12-05T17:00:00Z).'
    );
    model.deadlines.dismissError();
    expect(model.deadlines.error).toBeNull();
    expect(await model.deadlines.grantExtension('ps1', 'alice', '2026-12-07T17:00:00Z')).toBe(true);
    expect(model.deadlines.deadlineOf('ps1')?.extensions).toEqual([
      { student: 'alice', due: '2026-12-07T17:00:00Z' }
    ]);
    expect(await model.deadlines.revokeExtension('ps1', 'alice')).toBe(true);
    expect(model.deadlines.deadlineOf('ps1')?.extensions).toEqual([]);
  });

  it('marks late submissions in the matrix and re-marks them when the deadline moves', async () => {
    const client = exchange();
    client.submitAs = 'alice';
    const ts = await client.submit('c1', 'ps1', []); // 2026-11-25 10:00:01 UTC
    const model = await instructor(client);
    await model.submissions.loadMatrix();
    const cell = () =>
      model.submissions.matrix.items.rows.find(r => r.student === 'alice')!.cells.ps1;
    expect(cell().lateness).toBeUndefined(); // no deadline, no mark
    await model.deadlines.setDeadline('ps1', '2026-11-25T09:00:01Z', false);
    await waitFor(() => cell().lateness !== undefined);
    expect(cell().lateness?.[ts]).toEqual({
      late: true,
      secondsLate: 3600,
      due: '2026-11-25T09:00:01Z'
    });
    await model.deadlines.setDeadline('ps1', '2026-11-25T11:00:00Z', false);
    await waitFor(() => cell().lateness?.[ts]?.late === false);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) {
    await new Promise(r => setTimeout(r, 5));
  }
  expect(cond()).toBe(true);
}
