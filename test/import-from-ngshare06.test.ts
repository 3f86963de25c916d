/**
 * Import round trip on data made by the real ngshare 0.6 through its own API
 * (test/fixtures/make-ngshare06-data.sh): `ngshare import` into a fresh
 * SQLite database (and PostgreSQL when NGSHARE_TEST_PG_URL is set), then the
 * imported service must answer with every course, roster, assignment,
 * submission timestamp and feedback file of the manifest, byte for byte (MD5).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePorts, ROOT_DIR, TEST_DIR, waitFor } from './harness';

interface FileInfo {
  path: string;
  md5: string;
}
interface Manifest {
  courses: Record<
    string,
    {
      instructors: Array<Record<string, string | null>>;
      students: Array<Record<string, string | null>>;
      assignments: Record<
        string,
        {
          files: FileInfo[];
          submissions: Array<{
            student: string;
            timestamp: string;
            files: FileInfo[];
            feedback: FileInfo[];
          }>;
        }
      >;
    }
  >;
  counts: Record<string, number>;
}

const CLI = path.join(ROOT_DIR, 'service', 'lib', 'cli.js');
const q = encodeURIComponent;

function makeData(): Record<string, string> {
  const out = execFileSync('bash', [path.join(TEST_DIR, 'fixtures', 'make-ngshare06-data.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000
  });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map(line => line.split(/=(.*)/s).slice(0, 2) as [string, string])
  );
}

function runImport(args: string[]) {
  return spawnSync('node', [CLI, 'import', '--log-level', 'warn', ...args], {
    encoding: 'utf8',
    timeout: 300_000
  });
}

const targets: Array<[string, () => Promise<{ url: string; drop(): Promise<void> }>]> = [
  [
    'SQLite',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-import-'));
      return {
        url: `sqlite:///${dir}/ngshare.db`,
        drop: async () => fs.rmSync(dir, { recursive: true, force: true })
      };
    }
  ]
];
if (process.env.NGSHARE_TEST_PG_URL) {
  targets.push([
    'PostgreSQL',
    async () => {
      const name = `ngshare_import_${process.pid}`;
      const admin = process.env.NGSHARE_TEST_PG_URL!;
      const psql = (sql: string) =>
        execFileSync('psql', [admin, '-qc', sql], { stdio: ['ignore', 'pipe', 'pipe'] });
      psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      psql(`CREATE DATABASE ${name}`);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        drop: async () => void psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      };
    }
  ]);
}

describe('ngshare import from a real ngshare 0.6 deployment', () => {
  let source: Record<string, string>;
  let manifest: Manifest;

  beforeAll(() => {
    source = makeData();
    manifest = JSON.parse(fs.readFileSync(source.NGSHARE06_MANIFEST, 'utf8'));
  });

  describe.each(targets)('into %s', (_name, makeTarget) => {
    let target: { url: string; drop(): Promise<void> };
    let storage: string;
    let server: ChildProcess | undefined;
    let base: string;

    beforeAll(async () => {
      target = await makeTarget();
      storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-import-files-'));
    });
    afterAll(async () => {
      server?.kill('SIGTERM');
      await target.drop();
      fs.rmSync(storage, { recursive: true, force: true });
    });

    const importArgs = () => [
      '--from-database',
      source.NGSHARE06_DB,
      '--from-storage',
      source.NGSHARE06_STORAGE,
      '--database',
      target.url,
      '--storage',
      storage
    ];

    it('imports everything and verifies every file by MD5', () => {
      const result = runImport(importArgs());
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const c = manifest.counts;
      const files = c.assignment_files + c.submission_files + c.feedback_files;
      expect(result.stdout).toContain(
        `${c.courses} courses, ${c.instructors} instructors, ${c.students} students, ` +
          `${c.assignments} assignments, ${c.submissions} submissions, ${files} files; ` +
          `${files} files verified by MD5.`
      );
    });

    it('serves what ngshare 0.6 served: rosters, releases, submissions, feedback', async () => {
      const [port] = await freePorts(1);
      server = spawn(
        'node',
        [
          CLI,
          '--vngshare',
          '--admins',
          'root',
          '--port',
          String(port),
          '--database',
          target.url,
          '--storage',
          storage,
          '--log-level',
          'warn'
        ],
        { stdio: 'ignore' }
      );
      base = `http://127.0.0.1:${port}/api/`;
      await waitFor(
        async () => (await fetch(base + 'healthz').catch(() => null))?.ok === true,
        30_000,
        'the imported service'
      );
      const get = async (p: string, params: Record<string, string> = {}) => {
        const res = await fetch(`${base}${p}?${new URLSearchParams({ user: 'root', ...params })}`);
        const body = await res.json();
        expect(body).toMatchObject({ success: true });
        return body;
      };
      const md5s = (files: Array<{ path: string; checksum: string }>) =>
        files.map(f => [f.path, f.checksum]).sort();
      const expected = (files: FileInfo[]) => files.map(f => [f.path, f.md5]).sort();

      expect((await get('courses')).courses).toEqual(Object.keys(manifest.courses).sort());
      for (const [c, course] of Object.entries(manifest.courses)) {
        expect((await get(`instructors/${q(c)}`)).instructors).toEqual(course.instructors);
        expect((await get(`students/${q(c)}`)).students).toEqual(course.students);
        expect((await get(`assignments/${q(c)}`)).assignments.sort()).toEqual(
          Object.keys(course.assignments).sort()
        );
        for (const [a, asg] of Object.entries(course.assignments)) {
          const release = await get(`assignment/${q(c)}/${q(a)}`);
          expect(md5s(release.files)).toEqual(expected(asg.files));
          // The content itself, not only the checksum the database carries.
          for (const f of release.files as Array<{
            path: string;
            checksum: string;
            content: string;
          }>) {
            const bytes = Buffer.from(f.content, 'base64');
            expect(createHash('md5').update(bytes).digest('hex')).toBe(f.checksum);
          }
          const subs = (await get(`submissions/${q(c)}/${q(a)}`)).submissions;
          expect(
            subs
              .map((s: { student_id: string; timestamp: string }) => [s.student_id, s.timestamp])
              .sort()
          ).toEqual(asg.submissions.map(s => [s.student, s.timestamp]).sort());
          for (const s of asg.submissions) {
            const member = [...course.students, ...course.instructors].some(
              m => m.username === s.student
            );
            if (!member) {
              continue; // ngshare: removed students' submissions are listed but not reachable per student
            }
            const sub = await get(`submission/${q(c)}/${q(a)}/${q(s.student)}`, {
              timestamp: s.timestamp
            });
            expect(md5s(sub.files)).toEqual(expected(s.files));
            const fb = await get(`feedback/${q(c)}/${q(a)}/${q(s.student)}`, {
              timestamp: s.timestamp
            });
            expect(md5s(fb.files)).toEqual(expected(s.feedback));
          }
        }
      }
    });

    it('refuses to import again without --force, and changes nothing with it', () => {
      const refused = runImport(importArgs());
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/pass --force/);
      const again = runImport([...importArgs(), '--force']);
      expect(again.status).toBe(0);
      expect(again.stdout).toMatch(
        /: 0 courses, 0 instructors, 0 students, 0 assignments, 0 submissions, 0 files;/
      );
    });
  });
});
