import type { IHistoryEventRecord } from '../api';
import { ContentsBridge, textToBase64 } from '../files';
import { FakeClient } from '../testutils/fake-client';
import { MemoryContents } from '../testutils/memory-contents';
import { AssignmentsModel } from './assignments';
import { CourseHistoryModel, HISTORY_PAGE } from './history';

const event = (id: number, action: string, over: Partial<IHistoryEventRecord> = {}) => ({
  id,
  course_id: 'c1',
  at: `2026-12-08 10:00:${String(id % 60).padStart(2, '0')}.000000`,
  actor: 'prof',
  action,
  assignment_id: 'ps1',
  student_id: null,
  timestamp: null,
  files: 1,
  bytes: 10,
  checksum: 'a'.repeat(64),
  detail: null,
  ...over
});

function exchange(): FakeClient {
  const client = new FakeClient();
  client.addCourse('c1');
  client.courses
    .get('c1')!
    .assignments.set('ps1', [{ path: 'p1.ipynb', content: textToBase64('{}') }]);
  return client;
}

describe('CourseHistoryModel', () => {
  it('loads the newest page, then older pages on demand, without repeats', async () => {
    const client = exchange();
    const total = HISTORY_PAGE + 50;
    client.history = Array.from({ length: total }, (_, i) => event(total - i, 'fetch'));
    const model = new CourseHistoryModel({ client });
    await model.load('c1');
    expect(model.state.section.status).toBe('ready');
    expect(model.state.section.items.length).toBe(HISTORY_PAGE);
    expect(model.state.hasOlder).toBe(true);
    await model.loadOlder();
    const ids = model.state.section.items.map(e => e.id);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    expect(ids[0]).toBe(total);
    expect(ids[ids.length - 1]).toBe(1);
    expect(model.state.hasOlder).toBe(false);
  });

  it('filters by action on the exchange and names the export after it', async () => {
    const client = exchange();
    client.history = [event(3, 'submit'), event(2, 'fetch'), event(1, 'release')];
    const model = new CourseHistoryModel({ client });
    await model.load('c1', 'submit');
    expect(model.state.section.items.map(e => e.id)).toEqual([3]);
    const csv = await model.exportCsv();
    expect(csv).toEqual({ name: 'ngshare-history-c1-submit.csv', text: 'id,action\n3,submit\n' });
    await model.load('c1', '');
    expect(model.state.section.items.map(e => e.action)).toEqual(['submit', 'fetch', 'release']);
    expect((await model.exportCsv()).name).toBe('ngshare-history-c1.csv');
  });

  it('says an exchange without v2 keeps no history, and shows other failures as errors', async () => {
    const client = exchange();
    client.deadlinesSupported = false;
    const model = new CourseHistoryModel({ client });
    await model.load('c1');
    expect(model.state.supported).toBe(false);
    expect(model.state.section.status).toBe('ready');
    const missing = new CourseHistoryModel({ client: exchange() });
    await missing.load('nope');
    expect(missing.state.supported).toBe(true);
    expect(missing.state.section.status).toBe('error');
    expect(missing.state.section.error?.summary).toMatch(/Course not found|course/i);
  });

  it('drops the old course’s events when the course changes', async () => {
    const client = exchange();
    client.addCourse('c2');
    client.history = [event(2, 'fetch'), event(1, 'fetch', { course_id: 'c2' })];
    const model = new CourseHistoryModel({ client });
    await model.load('c1');
    expect(model.state.section.items.map(e => e.id)).toEqual([2]);
    await model.load('c2');
    expect(model.state.section.items.map(e => e.id)).toEqual([1]);
    await model.load(null);
    expect(model.state.section.status).toBe('idle');
  });
});

describe('receipts in the student model', () => {
  it('attaches each submission’s receipt, and none without v2', async () => {
    const client = exchange();
    client.courses.get('c1')!.students.set('alice', {
      username: 'alice',
      first_name: '',
      last_name: '',
      email: ''
    });
    client.submitAs = 'alice';
    const ts = await client.submit('c1', 'ps1', [
      { path: 'p1.ipynb', content: textToBase64('{"a": 1}') }
    ]);
    const receipt = {
      assignment_id: 'ps1',
      timestamp: ts,
      files: [{ path: 'p1.ipynb', size: 8, md5: 'b'.repeat(32), sha256: 'c'.repeat(64) }],
      bytes: 8,
      checksum: 'd'.repeat(64)
    };
    client.receipts.set('c1', [receipt]);
    const alice = new AssignmentsModel({
      client,
      files: new ContentsBridge(new MemoryContents()),
      user: 'alice'
    });
    await alice.refreshCourses();
    const [sub] = alice.submitted.items[0].submissions;
    expect(sub.receipt).toEqual({
      assignment: 'ps1',
      timestamp: ts,
      files: [{ path: 'p1.ipynb', size: 8, sha256: 'c'.repeat(64) }],
      bytes: 8,
      checksum: 'd'.repeat(64)
    });
    client.deadlinesSupported = false;
    await alice.refresh();
    expect(alice.submitted.items[0].submissions[0].receipt).toBeUndefined();
  });
});
