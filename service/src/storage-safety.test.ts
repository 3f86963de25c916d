/**
 * What happens on disk: identical contents are stored once; deleting an
 * assignment or a course and replacing feedback remove the files nobody
 * references any more (ngshare 0.6 leaves them forever); a refused upload
 * leaves no rows and no files. The harness runs with gcGraceMs 0; collection
 * runs after the response, so the checks poll briefly.
 */
import path from 'node:path';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { LocalBlobStorage } from './storage/local-blob-storage';
import { itConformsToOpenApi } from './test-support/openapi';
import {
  backends,
  startTestService,
  storageKinds,
  storedHashes,
  type TestService
} from './test-support/harness';
import { b64, client, expectError, expectOk, filesOf, type Client } from './test-support/client';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]
  );
}

async function eventually(check: () => Promise<void> | void, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) {
        throw err;
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
  }
}

const unique = (tag: string) => `${tag}-${Math.random().toString(36).slice(2)}-${'x'.repeat(50)}`;

describe.each(backends())('storage on %s with %s storage', (engine, storage) => {
  let svc: TestService;
  let api: Client;
  const blobs = () => storedHashes(svc.blobs);
  // Staged uploads: the folder's tmp/, or the S3 backend's local staging folder.
  const temps = () =>
    filesUnder(storage === 'folder' ? path.join(svc.storageDir, 'tmp') : svc.storageDir);
  const rows = async (table: string) => Number((await svc.knex(table).count({ n: '*' }))[0].n);

  beforeAll(async () => {
    svc = await startTestService({ engine, storage, gcGraceMs: 0 });
    api = client(svc);
    expectOk(await api.post('/api/course/c1', 'root', { instructors: '["ins"]' }));
    expectOk(
      await api.post('/api/student/c1/stu', 'ins', { first_name: '', last_name: '', email: '' })
    );
  });
  afterAll(() => svc.close());

  it('stores identical contents once (within an upload, across releases and submissions)', async () => {
    const before = (await blobs()).length;
    const same = unique('same');
    expectOk(
      await api.post('/api/assignment/c1/dedup1', 'ins', {
        files: filesOf([
          ['a.ipynb', b64(same)],
          ['copy/a.ipynb', b64(same)]
        ])
      })
    );
    expectOk(
      await api.post('/api/assignment/c1/dedup2', 'ins', {
        files: filesOf([['b.ipynb', b64(same)]])
      })
    );
    for (let i = 0; i < 3; i++) {
      expectOk(
        await api.post('/api/submission/c1/dedup1', 'stu', {
          files: filesOf([['a.ipynb', b64(same)]])
        })
      );
    }
    expect((await blobs()).length).toBe(before + 1);
    // ...while every copy is still its own file entry
    const fetched = expectOk(await api.get('/api/assignment/c1/dedup1', 'stu')).files;
    expect(fetched.map((f: { path: string }) => f.path)).toEqual(['a.ipynb', 'copy/a.ipynb']);
  });

  it('deleting an assignment removes the files only it referenced, and keeps shared ones', async () => {
    const shared = unique('shared');
    const own = unique('own');
    const submitted = unique('submitted');
    const feedback = unique('feedback');
    expectOk(
      await api.post('/api/assignment/c1/keep', 'ins', { files: filesOf([['s', b64(shared)]]) })
    );
    const before = (await blobs()).length;
    expectOk(
      await api.post('/api/assignment/c1/gone', 'ins', {
        files: filesOf([
          ['s', b64(shared)],
          ['o', b64(own)]
        ])
      })
    );
    const ts = expectOk(
      await api.post('/api/submission/c1/gone', 'stu', {
        files: filesOf([['sub', b64(submitted)]])
      })
    ).timestamp;
    expectOk(
      await api.post('/api/feedback/c1/gone/stu', 'ins', {
        timestamp: ts,
        files: filesOf([['fb.html', b64(feedback)]])
      })
    );
    expect((await blobs()).length).toBe(before + 3);
    expectOk(await api.del('/api/assignment/c1/gone', 'ins'));
    await eventually(async () => expect((await blobs()).length).toBe(before));
    const kept = expectOk(await api.get('/api/assignment/c1/keep', 'stu')).files;
    expect(Buffer.from(kept[0].content, 'base64').toString()).toBe(shared);
    // A re-release starts empty: no submissions
    expectOk(await api.post('/api/assignment/c1/gone', 'ins', { files: '[]' }));
    expect(expectOk(await api.get('/api/submissions/c1/gone', 'ins')).submissions).toEqual([]);
  });

  it('replacing feedback removes the old feedback file', async () => {
    expectOk(await api.post('/api/assignment/c1/fb', 'ins', { files: '[]' }));
    const ts = expectOk(await api.post('/api/submission/c1/fb', 'stu', { files: '[]' })).timestamp;
    const before = (await blobs()).length;
    const post = (content: string) =>
      api.post('/api/feedback/c1/fb/stu', 'ins', {
        timestamp: ts,
        files: filesOf([['fb.html', b64(content)]])
      });
    expectOk(await post(unique('v1')));
    expect((await blobs()).length).toBe(before + 1);
    const v2 = unique('v2');
    expectOk(await post(v2));
    await eventually(async () => expect((await blobs()).length).toBe(before + 1));
    const got = expectOk(await api.get('/api/feedback/c1/fb/stu', 'stu', { timestamp: ts })).files;
    expect(Buffer.from(got[0].content, 'base64').toString()).toBe(v2);
    // files=[] clears it, and its file goes too
    expectOk(await api.post('/api/feedback/c1/fb/stu', 'ins', { timestamp: ts, files: '[]' }));
    await eventually(async () => expect((await blobs()).length).toBe(before));
  });

  it('deleting a course removes every file only it referenced', async () => {
    const before = (await blobs()).length;
    expectOk(await api.post('/api/course/doomed', 'root', { instructors: '["ins"]' }));
    expectOk(
      await api.post('/api/student/doomed/stu', 'ins', { first_name: '', last_name: '', email: '' })
    );
    expectOk(
      await api.post('/api/assignment/doomed/a', 'ins', {
        files: filesOf([['r', b64(unique('r'))]])
      })
    );
    const ts = expectOk(
      await api.post('/api/submission/doomed/a', 'stu', {
        files: filesOf([['s', b64(unique('s'))]])
      })
    ).timestamp;
    expectOk(
      await api.post('/api/feedback/doomed/a/stu', 'ins', {
        timestamp: ts,
        files: filesOf([['f.html', b64(unique('f'))]])
      })
    );
    expect((await blobs()).length).toBe(before + 3);
    expectOk(await api.del('/api/course/doomed', 'root'));
    await eventually(async () => expect((await blobs()).length).toBe(before));
    expect(await rows('submissions')).toBeGreaterThan(0); // c1's submissions are untouched
  });

  it('an upload racing the collector for the same bytes never loses them', async () => {
    for (let round = 0; round < 25; round++) {
      const bytes = unique(`race${round}`);
      expectOk(
        await api.post(`/api/assignment/c1/r${round}a`, 'ins', {
          files: filesOf([['x', b64(bytes)]])
        })
      );
      // Delete (the collector starts right after the answer) while the same bytes are uploaded again.
      const [deleted, again] = await Promise.all([
        api.del(`/api/assignment/c1/r${round}a`, 'ins'),
        api.post(`/api/assignment/c1/r${round}b`, 'ins', { files: filesOf([['x', b64(bytes)]]) })
      ]);
      expectOk(deleted);
      expectOk(again);
      await svc.exchange.files.collectGarbage(svc.exchange.store);
      const got = await api.get(`/api/assignment/c1/r${round}b`, 'stu');
      expect({ round, status: got.status }).toEqual({ round, status: 200 });
      expect(Buffer.from(got.body.files[0].content, 'base64').toString()).toBe(bytes);
    }
  });

  it('a delete while a collection is running is collected by that run', async () => {
    const before = (await blobs()).length;
    const many = Array.from(
      { length: 60 },
      (_, i) => [`f${i}`, b64(unique(`many${i}`))] as [string, string]
    );
    expectOk(await api.post('/api/assignment/c1/gc-a', 'ins', { files: filesOf(many) }));
    expectOk(
      await api.post('/api/assignment/c1/gc-b', 'ins', {
        files: filesOf([['x', b64(unique('b'))]])
      })
    );
    expectOk(await api.del('/api/assignment/c1/gc-a', 'ins')); // starts a collection of 60 files
    expectOk(await api.del('/api/assignment/c1/gc-b', 'ins')); // lands while it runs
    await svc.exchange.files.idle();
    expect((await blobs()).length).toBe(before);
  });

  it('a refused upload (bad base64 in the 2nd file) leaves no rows and no files', async () => {
    const counts = async () => ({
      blobRows: await rows('blobs'),
      assignments: await rows('assignments'),
      assignmentFiles: await rows('assignment_files'),
      submissions: await rows('submissions'),
      submissionFiles: await rows('submission_files'),
      blobs: (await blobs()).length,
      temps: temps().length
    });
    const before = await counts();
    const bad = filesOf([
      ['first.txt', b64(unique('first'))],
      ['second.txt', 'amtsCg']
    ]);
    expectError(
      await api.post('/api/assignment/c1/refused', 'ins', { files: bad }),
      400,
      'Content cannot be base64 decoded'
    );
    expectError(
      await api.post('/api/submission/c1/dedup1', 'stu', { files: bad }),
      400,
      'Content cannot be base64 decoded'
    );
    expect(await counts()).toEqual(before);
    expectError(await api.get('/api/assignment/c1/refused', 'ins'), 404, 'Assignment not found');
  });
});

describe.each(storageKinds())('garbage collection grace period, %s storage', storage => {
  it('keeps a freshly unreferenced file while it is younger than the grace period', async () => {
    const svc = await startTestService({ storage, gcGraceMs: 60_000 });
    try {
      const api = client(svc);
      expectOk(await api.post('/api/course/c1', 'root', { instructors: '["ins"]' }));
      expectOk(
        await api.post('/api/assignment/c1/a', 'ins', { files: filesOf([['x', b64(unique('x'))]]) })
      );
      const n = (await storedHashes(svc.blobs)).length;
      expectOk(await api.del('/api/assignment/c1/a', 'ins'));
      await new Promise(resolve => setTimeout(resolve, 200));
      expect((await storedHashes(svc.blobs)).length).toBe(n);
      // An explicit collection inside the grace period keeps it too
      expect(await svc.exchange.files.collectGarbage(svc.exchange.store)).toBe(0);
    } finally {
      await svc.close();
    }
  });

  it('debug clear removes every stored file', async () => {
    const svc = await startTestService({ storage, debug: true });
    try {
      const api = client(svc);
      expectOk(await api.get('/api/initialize-Data6ase', 'x', { action: 'init' }));
      expect((await storedHashes(svc.blobs)).length).toBe(6);
      expectOk(await api.get('/api/initialize-Data6ase', 'x', { action: 'clear' }));
      expect(await storedHashes(svc.blobs)).toEqual([]);
      const dump = expectOk(await api.get('/api/initialize-Data6ase', 'x', { action: 'dump' }));
      expect(dump).toEqual({ success: true });
      // and the service still stores files afterwards
      expectOk(await api.get('/api/initialize-Data6ase', 'x', { action: 'init' }));
      expect((await storedHashes(svc.blobs)).length).toBe(6);
    } finally {
      await svc.close();
    }
  });
});

describe('staged uploads left by a crash', () => {
  it('are swept once older than the grace period; younger ones are left to their upload', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ngshare-stage-'));
    try {
      const storage = new LocalBlobStorage(root);
      await storage.init();
      const writer = await storage.createWriter();
      await writer.write(Buffer.from('never committed'));
      await writer.finish('a'.repeat(64));
      expect(filesUnder(path.join(root, 'tmp'))).toHaveLength(1);
      expect(await storage.removeStaleStaging(60_000)).toBe(0);
      expect(filesUnder(path.join(root, 'tmp'))).toHaveLength(1);
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(await storage.removeStaleStaging(10)).toBe(1);
      expect(filesUnder(path.join(root, 'tmp'))).toEqual([]);
      expect(filesUnder(path.join(root, 'blobs'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

itConformsToOpenApi();
