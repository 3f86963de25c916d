/**
 * Import from an ngshare 0.6 database built with SQL (test-support/ngshare06-source); the round
 * trip against the real original ngshare runs in test/.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../logging';
import { FileKeeper } from '../services/file-keeper';
import { LocalBlobStorage } from '../storage/local-blob-storage';
import { ExchangeStore } from '../store/exchange-store';
import { engines, startTestService, type TestService } from '../test-support/harness';
import { makeNgshare06Source, type Ngshare06Source } from '../test-support/ngshare06-source';
import { importNgshare06 } from './import-ngshare06';
import { Ngshare06Reader } from './ngshare06-reader';

// every source engine into every target engine
const pairs = engines().flatMap(from => engines().map(into => [from, into] as const));

describe.each(pairs)('import from ngshare 0.6 on %s into %s', (from, engine) => {
  let svc: TestService;
  let src: Ngshare06Source;

  beforeAll(async () => {
    svc = await startTestService({ engine });
    src = await makeNgshare06Source(from);
  });
  afterAll(async () => {
    await src.drop();
    await svc.close();
  });

  const run = (force: boolean) => {
    const blobs = new LocalBlobStorage(svc.storageDir);
    return importNgshare06(
      new Ngshare06Reader(src.db, src.storage),
      new ExchangeStore(svc.knex),
      new FileKeeper(blobs, silentLogger(), 0),
      blobs,
      { force, logger: silentLogger() }
    );
  };

  it('imports everything and verifies it', async () => {
    const report = await run(false);
    expect(report).toMatchObject({
      courses: 2,
      instructors: 1,
      students: 2,
      assignments: 2,
      submissions: 4,
      files: 7,
      verifiedFiles: 7,
      skipped: []
    });
  });

  it('serves the imported data through the API, byte for byte', async () => {
    const courses = await svc.request.get('/api/courses').query({ user: 'kim' });
    expect(courses.body.courses).toEqual(['c 1']);
    const students = await svc.request.get('/api/students/c%201').query({ user: 'kim' });
    expect(students.body.students).toEqual([
      { username: 'sam', first_name: 'Sam', last_name: null, email: '' },
      { username: 'ann', first_name: null, last_name: null, email: null }
    ]);
    const release = await svc.request.get('/api/assignment/c%201/ps1').query({ user: 'sam' });
    expect(release.body.files.map((f: { path: string }) => f.path)).toEqual([
      'ps1.ipynb',
      'data/ü nested/x.bin'
    ]);
    expect(Buffer.from(release.body.files[1].content, 'base64')).toEqual(
      Buffer.from([0, 255, 1, 254])
    );
    const subs = await svc.request.get('/api/submissions/c%201/ps1').query({ user: 'kim' });
    expect(subs.body.submissions).toEqual([
      { student_id: 'sam', timestamp: '2020-01-01 00:00:00.000000' },
      { student_id: 'sam', timestamp: '2020-01-02 10:00:00.123456' },
      { student_id: 'sam', timestamp: '2020-01-02 10:00:00.123457' },
      { student_id: 'root', timestamp: '2020-01-03 00:00:00.500000' }
    ]);
    const feedback = await svc.request
      .get('/api/feedback/c%201/ps1/sam')
      .query({ user: 'sam', timestamp: '2020-01-01 00:00:00.000000' });
    expect(feedback.body.files).toEqual([
      {
        path: 'ps1.html',
        checksum: src.md5['feedback:1:ps1.html'],
        content: Buffer.from('<p>good</p>').toString('base64') + '\n'
      }
    ]);
    const latest = await svc.request.get('/api/submission/c%201/ps1/sam').query({ user: 'kim' });
    expect(latest.body.timestamp).toBe('2020-01-02 10:00:00.123457');
    // imported feedback is the latest feedback too (dated to the import: ngshare kept no time)
    const newest = await svc.request.get('/api/v2/feedback/c%201/ps1/sam').query({ user: 'sam' });
    expect(newest.body).toMatchObject({
      success: true,
      timestamp: '2020-01-01 00:00:00.000000',
      feedback_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    });
  });

  it('refuses a non-empty target without --force', async () => {
    await expect(run(false)).rejects.toThrow(/pass --force/);
  });

  it('is idempotent with --force', async () => {
    const before = await new ExchangeStore(svc.knex).countRows();
    const report = await run(true);
    expect(report).toMatchObject({
      courses: 0,
      students: 0,
      assignments: 0,
      submissions: 0,
      files: 0
    });
    expect(await new ExchangeStore(svc.knex).countRows()).toEqual(before);
  });

  it('stops on a file whose bytes do not match the checksum', async () => {
    const other = await startTestService({ engine });
    try {
      const row = await src.db('files').where({ _id: 1 }).first();
      writeFileSync(path.join(src.storage, row.actual_name), 'tampered');
      const blobs = new LocalBlobStorage(other.storageDir);
      await expect(
        importNgshare06(
          new Ngshare06Reader(src.db, src.storage),
          new ExchangeStore(other.knex),
          new FileKeeper(blobs, silentLogger(), 0),
          blobs,
          { force: false, logger: silentLogger() }
        )
      ).rejects.toThrow(/does not match its checksum/);
    } finally {
      await other.close();
    }
  });
});

describe('import from a live ngshare 0.6', () => {
  /** A source that gets a new submission (row + file) right after the import read its rows. */
  class BusySource extends Ngshare06Reader {
    constructor(private readonly src: Ngshare06Source) {
      super(src.db, src.storage);
    }
    override async snapshot() {
      const snap = await super.snapshot();
      await this.src.db('submissions').insert({
        _id: 99,
        assignment_id: 1,
        timestamp: '2020-02-01 00:00:00.000000',
        student_id: 'ann'
      });
      await this.src.db('files').insert({
        _id: 99,
        filename: 'ps1.ipynb',
        checksum: 'a'.repeat(32),
        actual_name: 'late-uuid.ipynb',
        size: 4
      });
      await this.src.db('submission_files_assoc_table').insert({ left_id: '99', right_id: 99 });
      return snap;
    }
  }

  it('copies one consistent moment and verifies against it', async () => {
    const svc = await startTestService();
    const src = await makeNgshare06Source();
    try {
      const blobs = new LocalBlobStorage(svc.storageDir);
      const report = await importNgshare06(
        new BusySource(src),
        new ExchangeStore(svc.knex),
        new FileKeeper(blobs, silentLogger(), 0),
        blobs,
        { force: false, logger: silentLogger() }
      );
      // the late submission is not half-copied, and does not fail the verification
      expect(report).toMatchObject({ submissions: 4, files: 7, verifiedFiles: 7, skipped: [] });
      const counts = await new ExchangeStore(svc.knex).countRows();
      expect(counts).toMatchObject({ submissions: 4, files: 7 });
    } finally {
      await src.drop();
      await svc.close();
    }
  });
});
