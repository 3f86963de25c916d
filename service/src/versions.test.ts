/**
 * Versions of a released assignment (issue 14, item 2, `<prefix>v2/versions`): an instructor
 * publishes new files without unreleasing; submissions and feedback stay, each submission keeps
 * the version it was made against, a v1 fetch answers the newest files, every version stays
 * fetchable (also after garbage collection), and every refusal is a clear 4xx.
 */
import { createHash } from 'node:crypto';
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

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const decoded = (files: Array<{ path: string; content: string }>) =>
  Object.fromEntries(files.map(f => [f.path, Buffer.from(f.content, 'base64').toString()]));

describe.each(engines())('assignment versions on %s', engine => {
  let svc: TestService;
  let api: Client;
  let timestamp: string;
  beforeEach(async () => {
    svc = await startTestService({ engine, debug: true, admins: ['root'] });
    api = client(svc);
    timestamp = (await seedCourse(api, 'c1')).timestamp;
  });
  afterEach(() => svc.close());

  const publish = (files: Array<[string, string]>, user = 'ins') =>
    api.post('/api/v2/versions/c1/a1', user, {
      files: filesOf(files.map(([p, t]) => [p, b64(t)]))
    });

  it('lists the release as version 1 until a new version is published', async () => {
    const listed = expectOk(await api.get('/api/v2/versions/c1/a1', 'stu'));
    expect(listed).toMatchObject({
      current: 1,
      versions: [
        {
          version: 1,
          released_at: null,
          released_by: null,
          files: [{ path: 'a1.ipynb', checksum: md5('{"cells": []}') }],
          checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
          added: ['a1.ipynb'],
          changed: [],
          removed: []
        }
      ]
    });
  });

  it('publishes a new version and keeps every submission, all feedback and the old files', async () => {
    const v2 = expectOk(
      await publish([
        ['a1.ipynb', '{"cells": ["fixed typo"]}'],
        ['data.csv', 'x,y\n']
      ])
    );
    expect(v2).toEqual({
      success: true,
      version: 2,
      added: ['data.csv'],
      changed: ['a1.ipynb'],
      removed: []
    });
    // a v1 fetch (nbgrader fetch_assignment) gets the new files
    const fetched = expectOk(await api.get('/api/assignment/c1/a1', 'stu2')).files;
    expect(decoded(fetched)).toEqual({
      'a1.ipynb': '{"cells": ["fixed typo"]}',
      'data.csv': 'x,y\n'
    });
    // nothing was deleted
    expect(expectOk(await api.get('/api/submissions/c1/a1', 'ins')).submissions).toHaveLength(1);
    const feedback = expectOk(await api.get('/api/feedback/c1/a1/stu', 'stu', { timestamp }));
    expect(decoded(feedback.files)).toEqual({ 'a1.html': '<p>good</p>' });
    // every version stays fetchable, also after a garbage collection
    await svc.exchange.files.collectGarbage(svc.exchange.store);
    const one = expectOk(await api.get('/api/v2/versions/c1/a1/1', 'stu'));
    expect(one.version).toBe(1);
    expect(decoded(one.files)).toEqual({ 'a1.ipynb': '{"cells": []}' });
    const two = expectOk(await api.get('/api/v2/versions/c1/a1/2', 'stu', { list_only: 'true' }));
    expect(two.files).toEqual([
      { path: 'a1.ipynb', checksum: md5('{"cells": ["fixed typo"]}') },
      { path: 'data.csv', checksum: md5('x,y\n') }
    ]);
    const listed = expectOk(await api.get('/api/v2/versions/c1/a1', 'stu'));
    expect(listed.current).toBe(2);
    expect(listed.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(listed.versions[1]).toMatchObject({
      released_by: 'ins',
      released_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/),
      added: ['data.csv'],
      changed: ['a1.ipynb']
    });
  });

  it('records which version each submission was made against, in receipts and history', async () => {
    expectOk(await publish([['a1.ipynb', '{"cells": ["v2"]}']]));
    const second = expectOk(
      await api.post('/api/submission/c1/a1', 'stu', {
        files: filesOf([['a1.ipynb', b64('{"cells": ["mine"]}')]])
      })
    ).timestamp;
    const receipts = expectOk(await api.get('/api/v2/receipts/c1', 'stu')).receipts;
    expect(
      receipts.map((r: { timestamp: string; version: number }) => [r.timestamp, r.version])
    ).toEqual([
      [timestamp, 1],
      [second, 2]
    ]);
    const events = expectOk(await api.get('/api/v2/history/c1', 'ins')).events;
    expect(events[0]).toMatchObject({ action: 'submit', detail: { version: 2 } });
    expect(events[1]).toMatchObject({
      action: 'version',
      actor: 'ins',
      assignment_id: 'a1',
      files: 1,
      detail: { version: 2, added: [], changed: ['a1.ipynb'], removed: [] }
    });
  });

  it('removes files in a version, refuses an unchanged one, and starts over after a re-release', async () => {
    expectOk(
      await publish([
        ['a1.ipynb', '{"cells": []}'],
        ['extra.txt', 'hint']
      ])
    );
    expectError(
      await publish([
        ['extra.txt', 'hint'],
        ['a1.ipynb', '{"cells": []}']
      ]),
      409,
      'These files are the same as version 2: nothing to publish'
    );
    expect(expectOk(await publish([['a1.ipynb', '{"cells": []}']]))).toMatchObject({
      version: 3,
      removed: ['extra.txt']
    });
    expectOk(await api.del('/api/assignment/c1/a1', 'ins'));
    expectOk(
      await api.post('/api/assignment/c1/a1', 'ins', {
        files: filesOf([['a1.ipynb', b64('{"cells": ["fresh"]}')]])
      })
    );
    const listed = expectOk(await api.get('/api/v2/versions/c1/a1', 'ins'));
    expect(listed.current).toBe(1);
    expect(listed.versions).toHaveLength(1);
  });

  it('tells each member which version of each assignment they last fetched', async () => {
    const course = async (user: string) =>
      expectOk(await api.get('/api/v2/versions/c1', user)).assignments;
    expect(await course('stu')).toEqual([{ assignment_id: 'a1', current: 1, fetched: null }]);
    expectOk(await api.get('/api/assignment/c1/a1', 'stu')); // nbgrader's fetch
    expectOk(await api.get('/api/assignment/c1/a1', 'stu2', { list_only: 'true' })); // not a fetch
    expect(await course('stu')).toEqual([{ assignment_id: 'a1', current: 1, fetched: 1 }]);
    expect(await course('stu2')).toEqual([{ assignment_id: 'a1', current: 1, fetched: null }]);

    expectOk(await publish([['a1.ipynb', '{"cells": ["v2"]}']]));
    expect(await course('stu')).toEqual([{ assignment_id: 'a1', current: 2, fetched: 1 }]);
    // a v1 fetch now gets version 2: told apart by the files' checksum
    expectOk(await api.get('/api/assignment/c1/a1', 'stu2'));
    expect(await course('stu2')).toEqual([{ assignment_id: 'a1', current: 2, fetched: 2 }]);
    // the lab's update fetches the version by number
    expectOk(await api.get('/api/v2/versions/c1/a1/2', 'stu', { list_only: 'true' }));
    expect((await course('stu'))[0].fetched).toBe(1);
    expectOk(await api.get('/api/v2/versions/c1/a1/2', 'stu'));
    expect(await course('stu')).toEqual([{ assignment_id: 'a1', current: 2, fetched: 2 }]);
    expect(expectOk(await api.get('/api/v2/versions/c1/a1', 'stu'))).toMatchObject({
      current: 2,
      fetched: 2
    });

    // version 3 puts version 1's files back: a fetch now is of version 3, not 1
    expectOk(await publish([['a1.ipynb', '{"cells": []}']]));
    expectOk(await api.get('/api/assignment/c1/a1', 'stu2'));
    expect(await course('stu2')).toEqual([{ assignment_id: 'a1', current: 3, fetched: 3 }]);
    expect(await course('stu')).toEqual([{ assignment_id: 'a1', current: 3, fetched: 2 }]);

    // a re-release starts over: nothing fetched of the new release yet
    expectOk(await api.del('/api/assignment/c1/a1', 'ins'));
    expectOk(
      await api.post('/api/assignment/c1/a1', 'ins', {
        files: filesOf([['a1.ipynb', b64('{"cells": ["fresh"]}')]])
      })
    );
    expect(await course('stu')).toEqual([{ assignment_id: 'a1', current: 1, fetched: null }]);
    expectError(
      await api.get('/api/v2/versions/c1', 'stranger'),
      403,
      'Permission denied (not related to course)'
    );
    expectError(await api.get('/api/v2/versions/c9', 'stu'), 404, 'Course not found');
  });

  it('refuses bad input and other people with a clear 4xx, changing nothing', async () => {
    expectError(
      await publish([['a1.ipynb', 'x']], 'stu'),
      403,
      'Permission denied (not course instructor)'
    );
    expectError(await api.post('/api/v2/versions/c1/a1', 'ins'), 400, 'Please supply files');
    expectError(
      await api.post('/api/v2/versions/c1/nope', 'ins', { files: '[]' }),
      404,
      'Assignment not found'
    );
    expectError(await api.get('/api/v2/versions/c9/a1', 'ins'), 404, 'Course not found');
    expectError(
      await api.get('/api/v2/versions/c1/a1', 'stranger'),
      403,
      'Permission denied (not related to course)'
    );
    for (const bad of ['0', 'abc', '-1', '1.5']) {
      expectError(
        await api.get(`/api/v2/versions/c1/a1/${bad}`, 'stu'),
        400,
        'Version must be a whole number from 1'
      );
    }
    expectError(await api.get('/api/v2/versions/c1/a1/2', 'stu'), 404, 'Version not found');
    const listed = expectOk(await api.get('/api/v2/versions/c1/a1', 'ins'));
    expect(listed.current).toBe(1);
  });

  itConformsToOpenApi();
});
