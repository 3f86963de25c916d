import { ContentsBridge, md5Base64, textToBase64 } from '../files';
import { FakeClient } from '../testutils/fake-client';
import { MemoryContents } from '../testutils/memory-contents';
import type { IVersionListRecord } from '../api';
import { AssignmentsModel } from './assignments';
import { besideName, planUpdate } from './updates';

const sum = (text: string) => md5Base64(textToBase64(text));
const file = (path: string, text: string) => ({ path, content: textToBase64(text) });

describe('besideName', () => {
  it('puts the version before the extension, in the same folder', () => {
    expect(besideName('ps1.ipynb', 3)).toBe('ps1 (version 3).ipynb');
    expect(besideName('data/a.b.csv', 2)).toBe('data/a.b (version 2).csv');
    expect(besideName('README', 2)).toBe('README (version 2)');
    expect(besideName('dir.d/.hidden', 4)).toBe('dir.d/.hidden (version 4)');
  });
});

describe('planUpdate', () => {
  const list: IVersionListRecord = {
    current: 2,
    fetched: 1,
    versions: [
      {
        version: 1,
        released_at: null,
        released_by: null,
        checksum: 't1',
        files: [
          { path: 'a.ipynb', checksum: sum('a1') },
          { path: 'b.ipynb', checksum: sum('b1') },
          { path: 'old.txt', checksum: sum('old') }
        ],
        added: [],
        changed: [],
        removed: []
      },
      {
        version: 2,
        released_at: '2026-12-07 10:00:00.000000',
        released_by: 'ins',
        checksum: 't2',
        files: [
          { path: 'a.ipynb', checksum: sum('a2') },
          { path: 'b.ipynb', checksum: sum('b2') },
          { path: 'c.csv', checksum: sum('c') },
          { path: 'same.txt', checksum: sum('same') }
        ],
        added: ['c.csv', 'same.txt'],
        changed: ['a.ipynb', 'b.ipynb'],
        removed: ['old.txt']
      }
    ]
  };
  const where = { course: 'c1', assignment: 'ps1', path: 'ps1' };

  it('restores what is missing, updates untouched files, puts edited ones beside, keeps removed', () => {
    const local = new Map([
      ['a.ipynb', sum('my answer')],
      ['b.ipynb', sum('b1')],
      ['old.txt', sum('old')],
      ['same.txt', sum('same')]
    ]);
    expect(planUpdate(where, list, local)).toEqual({
      ...where,
      from: 1,
      to: 2,
      restore: ['c.csv'],
      replace: ['b.ipynb'],
      beside: [{ path: 'a.ipynb', copy: 'a (version 2).ipynb' }],
      kept: ['old.txt'],
      same: 1
    });
  });

  it('treats every differing file as the student’s own when the fetched version is unknown', () => {
    const local = new Map([
      ['a.ipynb', sum('a1')],
      ['b.ipynb', sum('b1')]
    ]);
    const plan = planUpdate(where, { ...list, fetched: null }, local);
    expect(plan.from).toBeNull();
    expect(plan.replace).toEqual([]);
    expect(plan.beside.map(b => b.path)).toEqual(['a.ipynb', 'b.ipynb']);
    expect(plan.kept).toEqual([]);
  });

  it('does not offer again a copy an earlier update already put beside', () => {
    const local = new Map([
      ['a.ipynb', sum('mine')],
      ['a (version 2).ipynb', sum('a2')]
    ]);
    const plan = planUpdate(where, list, local);
    expect(plan.beside).toEqual([]);
    expect(plan.same).toBe(1);
  });
});

function setup() {
  const client = new FakeClient();
  client.addCourse('c1');
  client.courses
    .get('c1')!
    .assignments.set('ps1', [
      file('ps1.ipynb', 'v1 notebook'),
      file('helper.py', 'v1 helper'),
      file('old.txt', 'dropped later')
    ]);
  const mem = new MemoryContents();
  const model = new AssignmentsModel({ client, files: new ContentsBridge(mem), user: 'alice' });
  return { client, mem, model };
}

describe('AssignmentsModel updates', () => {
  it('tells of a newer version and gets it without replacing the student’s edits', async () => {
    const { client, mem, model } = setup();
    await model.refreshCourses();
    await model.fetch('ps1');
    mem.put('ps1/ps1.ipynb', 'my answers');
    await model.refresh();
    expect(model.downloaded.items[0].update).toBeUndefined();

    await client.publishVersion('c1', 'ps1', [
      file('ps1.ipynb', 'v2 notebook, typo fixed'),
      file('helper.py', 'v2 helper'),
      file('data.csv', 'x,y')
    ]);
    await model.refresh();
    expect(model.downloaded.items[0].update).toEqual({ current: 2, fetched: 1 });

    const plan = await model.prepareUpdate('ps1');
    expect(plan).toMatchObject({
      from: 1,
      to: 2,
      restore: ['data.csv'],
      replace: ['helper.py'],
      beside: [{ path: 'ps1.ipynb', copy: 'ps1 (version 2).ipynb' }],
      kept: ['old.txt']
    });
    expect(mem.text('ps1/data.csv')).toBeUndefined(); // a preview writes nothing

    const result = await model.applyUpdate('ps1');
    expect(result.version).toBe(2);
    expect(result.written.sort()).toEqual(['data.csv', 'helper.py', 'ps1 (version 2).ipynb']);
    expect(mem.text('ps1/ps1.ipynb')).toBe('my answers');
    expect(mem.text('ps1/ps1 (version 2).ipynb')).toBe('v2 notebook, typo fixed');
    expect(mem.text('ps1/helper.py')).toBe('v2 helper');
    expect(mem.text('ps1/data.csv')).toBe('x,y');
    expect(mem.text('ps1/old.txt')).toBe('dropped later');
    await model.refresh();
    expect(model.downloaded.items[0].update).toBeUndefined();
  });

  it('keeps a file edited after the preview, writing the new version beside it', async () => {
    const { client, mem, model } = setup();
    await model.refreshCourses();
    await model.fetch('ps1');
    await client.publishVersion('c1', 'ps1', [
      file('ps1.ipynb', 'v2 notebook'),
      file('helper.py', 'v1 helper'),
      file('old.txt', 'dropped later')
    ]);
    const plan = await model.prepareUpdate('ps1');
    expect(plan.replace).toEqual(['ps1.ipynb']);
    mem.put('ps1/ps1.ipynb', 'edited meanwhile');
    const result = await model.applyUpdate('ps1');
    expect(result.written).toEqual(['ps1 (version 2).ipynb']);
    expect(mem.text('ps1/ps1.ipynb')).toBe('edited meanwhile');
    expect(mem.text('ps1/ps1 (version 2).ipynb')).toBe('v2 notebook');
  });

  it('shows no notice, and no error, on an exchange without versions', async () => {
    const { client, model } = setup();
    await model.refreshCourses();
    await model.fetch('ps1');
    await client.publishVersion('c1', 'ps1', [file('ps1.ipynb', 'v2')]);
    client.deadlinesSupported = false;
    await model.refresh();
    expect(model.downloaded.status).toBe('ready');
    expect(model.downloaded.items[0].update).toBeUndefined();
  });
});
