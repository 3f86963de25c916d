import { textToBase64 } from '../files';
import { ContentsBridge } from '../files';
import { FakeClient } from '../testutils/fake-client';
import { MemoryContents } from '../testutils/memory-contents';
import { DEFAULT_SETTINGS, INgshareSettings } from '../tokens';
import { AlreadyFetchedError, AssignmentsModel } from './assignments';

function setup(settings: Partial<INgshareSettings> = {}) {
  const client = new FakeClient();
  client.addCourse('course1');
  client.addCourse('course2');
  const c1 = client.courses.get('course1')!;
  c1.students.set('alice', { username: 'alice', first_name: 'A', last_name: 'L', email: '' });
  c1.assignments.set('ps1', [
    { path: 'p1.ipynb', content: textToBase64('{"nb": 1}') },
    { path: 'data/input.bin', content: 'AAEC/w==' }
  ]);
  c1.assignments.set('ps2', [{ path: 'p2.ipynb', content: textToBase64('{"nb": 2}') }]);
  const mem = new MemoryContents();
  const store = new Map<string, string>();
  const model = new AssignmentsModel({
    client,
    files: new ContentsBridge(mem),
    user: 'alice',
    settings: () => ({ ...DEFAULT_SETTINGS, ...settings }),
    storage: { getItem: k => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) }
  });
  return { client, mem, model, store };
}

describe('AssignmentsModel', () => {
  it('lists courses, selects the first, and sorts assignments into released / downloaded', async () => {
    const { model, mem } = setup();
    mem.put('ps2/p2.ipynb', '{}');
    mem.put('ps2/sub/extra.ipynb', '{}');
    const states: string[] = [];
    model.stateChanged.connect(() => states.push(model.released.status));
    await model.refreshCourses();
    expect(model.courses.items).toEqual(['course1', 'course2']);
    expect(model.course).toBe('course1');
    expect(model.released.items.map(i => i.assignment)).toEqual(['ps1']);
    expect(model.downloaded.items).toEqual([
      {
        course: 'course1',
        assignment: 'ps2',
        path: 'ps2',
        notebooks: ['ps2/p2.ipynb', 'ps2/sub/extra.ipynb']
      }
    ]);
    expect(model.submitted.items).toEqual([]);
    expect(states).toContain('loading');
    expect(model.released.status).toBe('ready');
  });

  it('remembers the chosen course', async () => {
    const { model, client, store } = setup();
    await model.refreshCourses();
    await model.selectCourse('course2');
    const again = new AssignmentsModel({
      client,
      files: new ContentsBridge(new MemoryContents()),
      user: 'alice',
      storage: { getItem: k => store.get(k) ?? null, setItem: () => undefined }
    });
    await again.refreshCourses();
    expect(again.course).toBe('course2');
  });

  it('shows the error in the sections when the service fails', async () => {
    const { model, client } = setup();
    await model.refreshCourses();
    client.listAssignments = async () => {
      throw new Error('Permission denied');
    };
    await model.refresh();
    expect(model.released.status).toBe('error');
    expect(model.released.error?.summary).toBe('Permission denied');
    expect(model.submitted.status).toBe('error');
  });

  it('fetches byte-exact into <assignment>/ and refuses a second fetch', async () => {
    const { model, mem } = setup();
    await model.refreshCourses();
    const result = await model.fetch('ps1');
    expect(result.path).toBe('ps1');
    expect(mem.text('ps1/p1.ipynb')).toBe('{"nb": 1}');
    expect(Array.from(mem.bytes('ps1/data/input.bin')!)).toEqual([0, 1, 2, 255]);
    await expect(model.fetch('ps1')).rejects.toBeInstanceOf(AlreadyFetchedError);
    await model.refresh();
    expect(model.downloaded.items.map(i => i.assignment)).toEqual(['ps1']);
  });

  it('a refused fetch (copy made after the last refresh) refreshes the lists', async () => {
    const { model, mem } = setup();
    await model.refreshCourses();
    expect(model.released.items.map(i => i.assignment)).toContain('ps1');
    mem.put('ps1/mine.ipynb', '{}');
    const refreshed = new Promise<void>(resolve => {
      const check = (): void => {
        if (model.downloaded.items.some(i => i.assignment === 'ps1')) {
          model.stateChanged.disconnect(check);
          resolve();
        }
      };
      model.stateChanged.connect(check);
    });
    await expect(model.fetch('ps1')).rejects.toBeInstanceOf(AlreadyFetchedError);
    await refreshed;
    expect(model.released.items.map(i => i.assignment)).not.toContain('ps1');
    expect(mem.text('ps1/mine.ipynb')).toBe('{}');
  });

  it('uses <course>/<assignment>/ when pathIncludesCourse is on', async () => {
    const { model, mem } = setup({ pathIncludesCourse: true, assignmentRoot: 'work' });
    await model.refreshCourses();
    await model.fetch('ps1');
    expect(mem.text('work/course1/ps1/p1.ipynb')).toBe('{"nb": 1}');
  });

  it('restores only missing files', async () => {
    const { model, mem } = setup();
    await model.refreshCourses();
    mem.put('ps1/p1.ipynb', 'my work');
    const result = await model.fetch('ps1', { restoreMissing: true });
    expect(result.written).toEqual(['data/input.bin']);
    expect(mem.text('ps1/p1.ipynb')).toBe('my work');
  });

  it('never writes outside the assignment folder, whatever the service sends', async () => {
    const { model, mem, client } = setup();
    client.courses.get('course1')!.assignments.set('evil', [
      { path: 'ok.ipynb', content: textToBase64('x') },
      { path: '../.bashrc', content: textToBase64('rm -rf ~') }
    ]);
    await model.refreshCourses();
    await expect(model.fetch('evil')).rejects.toThrow(/unsafe path/i);
    expect(mem.files()).toEqual([]);
    await expect(model.fetch('../x')).rejects.toThrow(/separator/);
  });

  it('plans a submission: sizes, ignored, too large, missing and extra notebooks', async () => {
    const { model, mem } = setup({ maxFileSizeKb: 1 });
    await model.refreshCourses();
    mem.put('ps1/extra.ipynb', '{}');
    mem.put('ps1/big.csv', 'x'.repeat(2000));
    mem.put('ps1/feedback/t/p1.html', '<html>');
    mem.put('ps1/__pycache__/m.pyc', 'x');
    const plan = await model.prepareSubmission('ps1');
    expect(plan.files).toEqual([{ path: 'extra.ipynb', size: 2 }]);
    expect(plan.tooLarge).toEqual([{ path: 'big.csv', size: 2000 }]);
    expect(plan.ignored.sort()).toEqual(['__pycache__/', 'feedback/']);
    expect(plan.missing).toEqual(['p1.ipynb']);
    expect(plan.extra).toEqual(['extra.ipynb']);
    expect(plan.previousSubmissions).toBe(0);
    expect(plan.blocked).toBeNull();
  });

  it('blocks in strict mode when notebooks are missing, and when nothing would be sent', async () => {
    const { model, mem } = setup({ strictSubmit: true });
    await model.refreshCourses();
    mem.put('ps1/notes.txt', 'x');
    expect((await model.prepareSubmission('ps1')).blocked).toMatch(/Missing notebooks: p1.ipynb/);
    mem.put('ps2/feedback/x.html', 'x');
    expect((await model.prepareSubmission('ps2')).blocked).toMatch(/no files/);
  });

  it('submits the planned files and lists the submission from the service', async () => {
    const { model, mem, client } = setup();
    await model.refreshCourses();
    await model.fetch('ps1');
    mem.put('ps1/p1.ipynb', '{"nb": "answered"}');
    const plan = await model.prepareSubmission('ps1');
    const ts = await model.submit(plan);
    const sent = client.courses.get('course1')!.submissions.get('ps1')![0];
    expect(sent.timestamp).toBe(ts);
    expect(sent.files.map(f => f.path).sort()).toEqual(['data/input.bin', 'p1.ipynb']);
    expect(
      Buffer.from(sent.files.find(f => f.path === 'p1.ipynb')!.content, 'base64').toString()
    ).toBe('{"nb": "answered"}');
    await model.refresh();
    expect(model.submitted.items).toEqual([
      {
        course: 'course1',
        assignment: 'ps1',
        submissions: [{ timestamp: ts, feedback: 'none', feedbackPath: null, feedbackFiles: [] }],
        feedbackArrivedAt: null
      }
    ]);
    const second = await model.prepareSubmission('ps1');
    expect(second.previousSubmissions).toBe(1);
  });

  it('tracks feedback: available -> fetched -> updated, and fetches into feedback/<ts>/', async () => {
    const { model, mem, client } = setup();
    await model.refreshCourses();
    await model.fetch('ps1');
    const ts = await model.submit(await model.prepareSubmission('ps1'));
    await client.releaseFeedback('course1', 'ps1', 'alice', ts, [
      { path: 'p1.html', content: textToBase64('<p>good</p>') }
    ]);
    await model.refresh();
    expect(model.submitted.items[0].submissions[0].feedback).toBe('available');
    const arrived = model.submitted.items[0].feedbackArrivedAt;
    expect(arrived).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);

    const written = await model.fetchFeedback('ps1');
    expect(written).toEqual([`ps1/feedback/${ts}/p1.html`]);
    expect(mem.text(`ps1/feedback/${ts}/p1.html`)).toBe('<p>good</p>');
    await model.refresh();
    expect(model.submitted.items[0].submissions[0]).toEqual({
      timestamp: ts,
      feedback: 'fetched',
      feedbackPath: `ps1/feedback/${ts}`,
      feedbackFiles: [`ps1/feedback/${ts}/p1.html`]
    });

    await client.releaseFeedback('course1', 'ps1', 'alice', ts, [
      { path: 'p1.html', content: textToBase64('<p>better</p>') }
    ]);
    await model.refresh();
    expect(model.submitted.items[0].submissions[0].feedback).toBe('updated');
    // replaced feedback arrived later than the first
    expect(model.submitted.items[0].feedbackArrivedAt! > arrived!).toBe(true);
    await model.fetchFeedback('ps1');
    expect(mem.text(`ps1/feedback/${ts}/p1.html`)).toBe('<p>better</p>');
  });

  it('cannot say when feedback arrived from an exchange without v2 routes, and still tracks it', async () => {
    const { model, client } = setup();
    client.deadlinesSupported = false;
    await model.refreshCourses();
    await model.fetch('ps1');
    const ts = await model.submit(await model.prepareSubmission('ps1'));
    await client.releaseFeedback('course1', 'ps1', 'alice', ts, [
      { path: 'p1.html', content: textToBase64('<p>good</p>') }
    ]);
    await model.refresh();
    expect(model.submitted.status).toBe('ready');
    expect(model.submitted.items[0].feedbackArrivedAt).toBeNull();
    expect(model.submitted.items[0].submissions[0].feedback).toBe('available');
  });

  it('says why submissions cannot be listed when the user name is unknown', async () => {
    const client = new FakeClient();
    client.addCourse('c');
    client.courses.get('c')!.assignments.set('ps1', []);
    const model = new AssignmentsModel({
      client,
      files: new ContentsBridge(new MemoryContents()),
      user: ''
    });
    await model.refreshCourses();
    expect(model.released.items.map(i => i.assignment)).toEqual(['ps1']);
    expect(model.submitted.status).toBe('error');
    expect(model.submitted.error?.action).toMatch(/User name override/);
  });

  it('marks a task as running while it runs', async () => {
    const { model } = setup();
    await model.refreshCourses();
    const seen: boolean[] = [];
    model.tasks.changed.connect(() => seen.push(model.tasks.isRunning('fetch:ps1')));
    await model.fetch('ps1');
    expect(seen[0]).toBe(true);
    expect(seen[seen.length - 1]).toBe(false);
  });
});
